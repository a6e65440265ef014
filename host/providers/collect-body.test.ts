import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectBody } from './upstream-client.js';

const body = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

describe('collectBody', () => {
  it('joins every chunk, in order', async () => {
    expect((await collectBody(body('{"a":', '1', '}'), 100, 'throw')).toString()).toBe('{"a":1}');
  });

  it('fails past the limit when the answer must be whole', async () => {
    await expect(collectBody(body('12345', '67890'), 8, 'throw')).rejects.toThrow('upstream response too large');
  });

  it('keeps the first bytes past the limit when truncating, and reads the rest away', async () => {
    const stream = body('12345', '67890', 'abcde');
    expect((await collectBody(stream, 8, 'truncate')).toString()).toBe('12345678');
    expect(stream.readableEnded).toBe(true);
  });
});
