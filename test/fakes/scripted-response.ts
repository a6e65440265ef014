import type { ServerResponse } from 'node:http';

/**
 * A response a test writes byte for byte: status, headers, and body chunks sent with a pause
 * between them, so tests can reproduce exact provider streams (split tool arguments, CRLF
 * framing, a UTF-8 character cut in two, an error event after a 200, a stream that stops).
 * Every fake upstream accepts it as the behaviour `{ kind: 'script', ... }`.
 */
export interface ScriptedResponse {
  kind: 'script';
  status?: number;
  headers?: Record<string, string>;
  /** Strings are written as UTF-8; Buffers as is (to split a multibyte character). */
  chunks: Array<string | Buffer>;
  delayMs?: number;
  /** Destroy the socket after the chunks instead of ending the response cleanly. */
  abortAtEnd?: boolean;
  /** Awaited before chunk `index` is written: a test holds the script there (until its client saw something) and notes when it went on. */
  beforeChunk?: (index: number) => Promise<void> | void;
  /** Told when the last byte was handed to the socket and the response ended (tests time the client's end against it). */
  onEnd?: () => void;
}

export async function writeScripted(response: ServerResponse, script: ScriptedResponse): Promise<void> {
  response.writeHead(script.status ?? 200, { 'content-type': 'text/event-stream', ...script.headers });
  for (const [index, chunk] of script.chunks.entries()) {
    if (script.delayMs) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
    await script.beforeChunk?.(index);
    if (response.destroyed) return;
    response.write(chunk);
  }
  if (script.abortAtEnd) {
    // Let what was written reach the wire first: the point is a stream cut after its start.
    await new Promise((resolve) => setTimeout(resolve, Math.max(20, script.delayMs ?? 0)));
    response.destroy();
    script.onEnd?.();
  }
  else response.end(() => script.onEnd?.());
}
