import type { Readable } from 'node:stream';
import type { UpstreamFamily } from '../codecs/codec-types.js';
import { decodeAnthropicStreamError } from '../codecs/anthropic-messages/decode-error.js';
import { decodeGeminiErrorObject } from '../codecs/gemini/decode-error.js';
import { decodeOpenAIChatStreamError } from '../codecs/openai-chat/decode-error.js';
import { SseParser, type SseEvent } from '../codecs/shared/sse-parser.js';
import type { ProxyError } from '../core/proxy-error.js';

/** How much of a stream is held back at most while waiting for its first event. */
export const PEEK_MAX_BYTES = 64 * 1024;

/** The code of the error a peek fails with when no first event came within the first-byte timeout. */
export const FIRST_EVENT_TIMEOUT = 'LOCALGATE_FIRST_EVENT_TIMEOUT';

export type PeekResult =
  /** The stream started with a real event (or gave none within 64 KB): relay `head`, then the rest. */
  | { kind: 'ready'; head: Buffer[]; ended: boolean }
  /** The first event is an error: `bodyText` is its data (shaped like the family's error body). */
  | { kind: 'error-event'; error: ProxyError; bodyText: string; head: Buffer[]; ended: boolean }
  /** The body failed (reset, idle timeout, client gone) or no first event came in time. */
  | { kind: 'failed'; cause: unknown };

/**
 * Reads an upstream SSE answer up to its first meaningful event before anything reaches the
 * client, so that a 200 followed at once by an error (OpenAI `data: {"error":…}`, Anthropic
 * `event: error`, a Gemini error chunk) can still fail over. A side-read: the bytes are kept as
 * they came and handed back for the relay to write first; the parser is dropped afterwards.
 * Anthropic's `message_start` and `ping` are a preamble, not the answer: peeking goes on past
 * them (overloaded errors follow them). Bounded by `PEEK_MAX_BYTES` and `timeoutMs`.
 *
 * The body is left paused with a no-op error listener (an error between here and the relay must
 * not crash the process); the relay resumes it and checks `body.errored`.
 */
export function peekFirstEvent(body: Readable, family: UpstreamFamily, timeoutMs: number): Promise<PeekResult> {
  return new Promise<PeekResult>((resolve) => {
    const parser = new SseParser();
    const head: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: PeekResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      if (result.kind !== 'failed' && !result.ended) body.pause();
      resolve(result);
    };
    const inspect = (events: readonly SseEvent[], ended: boolean): boolean => {
      for (const event of events) {
        const verdict = firstEventVerdict(family, event);
        if (verdict === 'preamble') continue;
        if (verdict === 'content') settle({ kind: 'ready', head, ended });
        else settle({ kind: 'error-event', error: verdict.error, bodyText: event.data, head, ended });
        return true;
      }
      return false;
    };
    const onData = (chunk: Buffer): void => {
      head.push(chunk);
      size += chunk.length;
      if (!inspect(parser.push(chunk), false) && size >= PEEK_MAX_BYTES) settle({ kind: 'ready', head, ended: false });
    };
    const onEnd = (): void => {
      if (!inspect(parser.end(), true)) settle({ kind: 'ready', head, ended: true });
    };
    const onError = (cause: unknown): void => settle({ kind: 'failed', cause });
    const timer = setTimeout(() => settle({ kind: 'failed', cause: Object.assign(new Error('no first event in time'), { code: FIRST_EVENT_TIMEOUT }) }), Math.max(0, timeoutMs));
    body.on('error', ignore);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}

function ignore(): void {}

/** What one SSE event at the start of a stream is: preamble, the answer itself, or an error. */
function firstEventVerdict(family: UpstreamFamily, event: SseEvent): 'preamble' | 'content' | { error: ProxyError } {
  if (family === 'anthropic' && (event.event === 'ping' || event.event === 'message_start')) return 'preamble';
  if (event.data.length === 0) return 'preamble';
  if (event.data === '[DONE]') return 'content';
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    // Not JSON: the relay's decoder (or the client) judges it, as it would mid-stream.
    return 'content';
  }
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  switch (family) {
    case 'anthropic':
      if (event.event !== 'error' && record['type'] !== 'error') return 'content';
      return { error: decodeAnthropicStreamError(isRecord(record['error']) ? record['error'] : undefined) };
    case 'openai': {
      if (record['error'] === undefined && event.event !== 'error') return 'content';
      const error = record['error'];
      return { error: decodeOpenAIChatStreamError(isRecord(error) ? error : typeof error === 'string' ? { message: error } : undefined) };
    }
    case 'gemini':
      return isRecord(record['error']) ? { error: decodeGeminiErrorObject(record) } : 'content';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
