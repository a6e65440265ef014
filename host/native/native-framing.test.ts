import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeNativeMessage, FramingError, MAX_TO_BROWSER_BYTES, NativeMessageDecoder } from './native-framing.js';

describe('native messaging framing', () => {
  it('frames with a 4-byte little-endian length', () => {
    const frame = encodeNativeMessage({ a: 'é' });
    expect(frame.readUInt32LE(0)).toBe(Buffer.byteLength('{"a":"é"}'));
    expect(frame.subarray(4).toString('utf8')).toBe('{"a":"é"}');
  });

  it('reassembles messages across any split and merge of the byte stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        (messages, cuts) => {
          const stream = Buffer.concat(messages.map((m) => encodeNativeMessage(m)));
          const received: unknown[] = [];
          const decoder = new NativeMessageDecoder((m) => received.push(m));
          let offset = 0;
          let i = 0;
          while (offset < stream.length) {
            const size = cuts[i++ % cuts.length]!;
            decoder.push(stream.subarray(offset, offset + size));
            offset += size;
          }
          expect(received).toEqual(messages.map((m) => JSON.parse(JSON.stringify(m))));
          expect(decoder.buffered).toBe(0);
        },
      ),
    );
  });

  it('refuses to send a message over the browser’s 1 MB limit', () => {
    expect(() => encodeNativeMessage({ blob: 'x'.repeat(MAX_TO_BROWSER_BYTES) })).toThrow(FramingError);
  });

  it('rejects an oversize or non-JSON incoming frame', () => {
    const oversize = Buffer.alloc(4);
    oversize.writeUInt32LE(1000);
    expect(() => new NativeMessageDecoder(() => undefined, 100).push(oversize)).toThrow(/exceeds/);
    const garbage = Buffer.concat([Buffer.from([3, 0, 0, 0]), Buffer.from('{x}')]);
    expect(() => new NativeMessageDecoder(() => undefined).push(garbage)).toThrow(/not valid JSON/);
  });
});
