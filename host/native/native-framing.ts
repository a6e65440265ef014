/**
 * Native messaging framing: each message is a 4-byte little-endian length, then that many bytes
 * of UTF-8 JSON. Browsers cap host → browser messages at 1 MB; browser → host at 64 MB.
 * @see https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-protocol
 */
export const MAX_TO_BROWSER_BYTES = 1024 * 1024;
export const MAX_FROM_BROWSER_BYTES = 64 * 1024 * 1024;

export class FramingError extends Error {
  override name = 'FramingError';
}

/** Frames one message for the browser; refuses what the browser would reject. */
export function encodeNativeMessage(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message), 'utf8');
  if (json.length > MAX_TO_BROWSER_BYTES) {
    throw new FramingError(`message of ${json.length} bytes exceeds the browser's 1 MB limit`);
  }
  const frame = Buffer.allocUnsafe(4 + json.length);
  frame.writeUInt32LE(json.length, 0);
  json.copy(frame, 4);
  return frame;
}

/**
 * Reassembles messages from stdin chunks, however the pipe splits or merges them. Calls
 * `onMessage` for each complete, parsed message; a frame that is too large or not JSON is an
 * error (the stream is unrecoverable after a bad length, so the caller should exit).
 */
export class NativeMessageDecoder {
  #pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly maxBytes = MAX_FROM_BROWSER_BYTES,
  ) {}

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32LE(0);
      if (length > this.maxBytes) throw new FramingError(`incoming message of ${length} bytes exceeds the ${this.maxBytes}-byte limit`);
      if (this.#pending.length < 4 + length) return;
      const body = this.#pending.subarray(4, 4 + length);
      this.#pending = this.#pending.subarray(4 + length);
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        throw new FramingError('incoming message is not valid JSON');
      }
      this.onMessage(message);
    }
  }

  /** Bytes of a partial message still waiting for the rest. */
  get buffered(): number {
    return this.#pending.length;
  }
}
