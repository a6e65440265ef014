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
  /** The stream started with an event that is not an error (or gave none within 64 KB): relay `head`, then the rest. */
  | { kind: 'ready'; head: Buffer[]; ended: boolean }
  /** The first event is an error: `bodyText` is its data (shaped like the family's error body). */
  | { kind: 'error-event'; error: ProxyError; bodyText: string; head: Buffer[]; ended: boolean }
  /** The body failed (reset, idle timeout, client gone) or no first event came in time. */
  | { kind: 'failed'; cause: unknown };

/**
 * Reads an upstream SSE answer up to its first event, of any kind, before anything reaches the
 * client, so that a 200 whose first event is an error (OpenAI `data: {"error":…}`, Anthropic
 * `event: error`, a Gemini error chunk) can still fail over with nothing sent. Any other first
 * event — a preamble (`message_start`, OpenAI's role chunk) included — commits the answer at once:
 * an error after the preamble is the stream relay's to fail over (host/proxy/relay-stream.ts). A
 * side-read: the bytes are kept as they came and handed back for the relay to write first; the
 * parser is dropped afterwards. Bounded by `PEEK_MAX_BYTES` and `timeoutMs`.
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
        const verdict = classifyStreamEvent(family, event);
        if (verdict === 'preamble' || verdict === 'content') settle({ kind: 'ready', head, ended });
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

/**
 * What one SSE event of an upstream answer is, for failover: an error, a preamble, or content.
 * A preamble only opens the answer and is the same whichever account sends it, so a later
 * attempt's can be swallowed: Anthropic's `message_start` and `ping`; an OpenAI chunk whose
 * choices carry nothing but the role (every other delta field null or '') and no finish_reason,
 * or no choices at all (usage); an empty data line. Everything else is content — once it reached
 * the client, the answer belongs to its account: an Anthropic block start (even an empty text
 * block: the client has started a block at that index), any OpenAI delta with text, reasoning or
 * tool calls, a finish chunk, `[DONE]`, every Gemini chunk, and data that is not JSON (the
 * client judges it, as it would mid-stream).
 */
export function classifyStreamEvent(family: UpstreamFamily, event: SseEvent): 'preamble' | 'content' | { error: ProxyError } {
  if (family === 'anthropic' && (event.event === 'ping' || event.event === 'message_start')) return 'preamble';
  if (event.data.length === 0) return 'preamble';
  if (event.data === '[DONE]') return 'content';
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return 'content';
  }
  const record = isRecord(data) ? data : {};
  switch (family) {
    case 'anthropic':
      if (event.event !== 'error' && record['type'] !== 'error') return 'content';
      return { error: decodeAnthropicStreamError(isRecord(record['error']) ? record['error'] : undefined) };
    case 'openai': {
      if (record['error'] === undefined && event.event !== 'error') return isOpenAIPreamble(record) ? 'preamble' : 'content';
      const error = record['error'];
      return { error: decodeOpenAIChatStreamError(isRecord(error) ? error : typeof error === 'string' ? { message: error } : undefined) };
    }
    case 'gemini':
      return isRecord(record['error']) ? { error: decodeGeminiErrorObject(record) } : 'content';
  }
}

/** An OpenAI chunk that carries no output yet: the role chunk, or a usage-only chunk. */
function isOpenAIPreamble(chunk: Record<string, unknown>): boolean {
  const choices = chunk['choices'];
  if (!Array.isArray(choices)) return true;
  return choices.every((choice: unknown) => {
    if (!isRecord(choice)) return true;
    if (typeof choice['finish_reason'] === 'string' || isFilled(choice['text'])) return false;
    const delta = choice['delta'];
    if (!isRecord(delta)) return true;
    for (const key in delta) if (key !== 'role' && isFilled(delta[key])) return false;
    return true;
  });
}

function isFilled(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
