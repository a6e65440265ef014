import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SseParser, sseFrame } from './sse-parser.js';

function parseAll(bytes: Buffer, cuts: number[]): Array<{ event: string | undefined; data: string }> {
  const parser = new SseParser();
  const events = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = cuts[i++ % cuts.length]!;
    events.push(...parser.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...parser.end());
  return events;
}

describe('SseParser', () => {
  it('reads LF, CRLF and CR framing alike, with event names', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `event: message_start${eol}data: {"a":1}${eol}${eol}data: {"b":"ü"}${eol}${eol}: comment${eol}${eol}`;
      expect(parseAll(Buffer.from(text), [1000])).toEqual([
        { event: 'message_start', data: '{"a":1}' },
        { event: undefined, data: '{"b":"ü"}' },
      ]);
    }
  });

  it('yields the same events for any split of the byte stream, multibyte characters intact', () => {
    const payloads = ['héllo wörld', '日本語のテキスト', '🙂🙃 emoji', 'plain'];
    const bytes = Buffer.from(payloads.map((p, i) => sseFrame(JSON.stringify({ t: p }), i % 2 ? 'delta' : undefined)).join('').replace(/\n/g, '\r\n'));
    const whole = parseAll(bytes, [bytes.length]);
    expect(whole.map((e) => JSON.parse(e.data).t)).toEqual(payloads);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }), (cuts) => {
        expect(parseAll(bytes, cuts)).toEqual(whole);
      }),
    );
  });

  it('keeps a last event that lacks its blank line', () => {
    expect(parseAll(Buffer.from('data: [DONE]'), [3])).toEqual([{ event: undefined, data: '[DONE]' }]);
  });
});
