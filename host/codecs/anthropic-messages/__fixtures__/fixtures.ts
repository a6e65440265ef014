import { readFileSync } from 'node:fs';
import { assertEventOrder } from '../../../ir/assert-event-order.js';
import type { IrStreamEvent } from '../../../ir/ir-stream-event.js';
import { createAnthropicStreamDecoder } from '../decode-stream.js';

/** Test helpers over the captures in this folder. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

export function readJsonFixture<T = any>(name: string): T {
  return JSON.parse(readFixture(name)) as T;
}

/** A `*.chunks.txt` capture (one event's data per line) → the SSE bytes Anthropic sends. */
export function sseBytes(name: string, options: { crlf?: boolean } = {}): Buffer {
  const lines = readFixture(name).split('\n').filter((line) => line.trim() !== '');
  const text = lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`).join('');
  return Buffer.from(options.crlf ? text.replace(/\n/g, '\r\n') : text, 'utf8');
}

/** Feeds bytes cut at the given sizes (cycled) through a fresh decoder; checks the event order. */
export function decodeStream(bytes: Buffer, cuts: number[] = [bytes.length]): IrStreamEvent[] {
  const decoder = createAnthropicStreamDecoder();
  const events: IrStreamEvent[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, cuts[i++ % cuts.length]!);
    events.push(...decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...decoder.end());
  assertEventOrder(events);
  return events.map((event) => (event.type === 'response-start' ? { ...event, created: 0 } : event));
}
