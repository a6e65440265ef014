import { readFileSync } from 'node:fs';
import type { IrStreamEvent } from '../../../ir/ir-stream-event.js';
import type { StreamDecoder } from '../../codec-types.js';

const here = new URL('.', import.meta.url);

/** A `*.chunks.txt` capture: one SSE data payload per line (`:` lines are SSE comments). */
export function loadChunks(name: string): string[] {
  return readFileSync(new URL(name, here), 'utf8').split('\n').filter((line) => line.length > 0);
}

export function loadJson<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, here), 'utf8')) as T;
}

/** The capture as the bytes an upstream would send, LF or CRLF framed. */
export function toSseBytes(lines: string[], options: { crlf?: boolean } = {}): Buffer {
  const eol = options.crlf ? '\r\n' : '\n';
  return Buffer.from(lines.map((line) => (line.startsWith(':') ? `${line}${eol}${eol}` : `data: ${line}${eol}${eol}`)).join(''), 'utf8');
}

/** Feeds `bytes` cut at `cuts` (byte offsets, any order) and returns every event, end() included. */
export function decodeInPieces(decoder: StreamDecoder, bytes: Buffer, cuts: number[] = []): IrStreamEvent[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort((a, b) => a - b);
  const events: IrStreamEvent[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    events.push(...decoder.push(bytes.subarray(start, point)));
    start = point;
  }
  events.push(...decoder.end());
  return events;
}
