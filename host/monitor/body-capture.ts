/**
 * The first `limit` bytes of what was sent to a client, for its monitor entry when
 * `monitor_capture_bodies` is on. It copies at most `limit` bytes in all; once full, a push costs
 * one comparison, so a long stream is never buffered to record it.
 */
export class BodyCapture {
  readonly #chunks: Buffer[] = [];
  #length = 0;
  #truncated = false;

  constructor(readonly limit: number) {}

  push(chunk: Buffer | string): void {
    if (chunk.length === 0) return;
    const room = this.limit - this.#length;
    if (room <= 0) {
      this.#truncated = true;
      return;
    }
    // A character is at least one byte: `room` characters always cover `room` bytes, so a long
    // string is never encoded whole just to keep its start.
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk.length > room ? chunk.slice(0, room) : chunk) : chunk;
    if (buffer.length > room || (typeof chunk === 'string' && chunk.length > room)) this.#truncated = true;
    // Copied: a subarray would keep the whole chunk alive until the request ends.
    this.#chunks.push(Buffer.from(buffer.subarray(0, room)));
    this.#length += Math.min(buffer.length, room);
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  /** The captured bytes as text; a character cut in half at the limit is dropped, not mangled. */
  text(): string {
    return decodeWhole(Buffer.concat(this.#chunks, this.#length));
  }
}

/** `text` cut to at most `limit` UTF-8 bytes, on a character boundary. */
export function cutUtf8(text: string, limit: number): { text: string; truncated: boolean } {
  const capture = new BodyCapture(limit);
  capture.push(text);
  return { text: capture.text(), truncated: capture.truncated };
}

function decodeWhole(bytes: Buffer): string {
  // `stream: true` holds back an incomplete trailing sequence instead of emitting U+FFFD.
  return new TextDecoder('utf-8').decode(bytes, { stream: true });
}
