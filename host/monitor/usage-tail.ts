/**
 * Finds OpenAI-style token usage in a response without buffering it: only the last few KB are
 * kept (usage is the last field of a JSON body and the last chunk of a stream), and they are
 * searched once, when the response ends.
 */
const TAIL_BYTES = 4096;

export class UsageTail {
  /** References to the newest chunks (no copies on the hot path), at least TAIL_BYTES long. */
  #chunks: Buffer[] = [];
  #length = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    while (this.#chunks.length > 1 && this.#length - this.#chunks[0]!.length >= TAIL_BYTES) {
      this.#length -= this.#chunks.shift()!.length;
    }
  }

  /** Searched once, when the response has ended. */
  usage(): { tokensIn?: number; tokensOut?: number } {
    const text = this.text();
    const tokensIn = lastNumber(text, INPUT_KEYS);
    const tokensOut = lastNumber(text, OUTPUT_KEYS);
    return { ...(tokensIn === undefined ? {} : { tokensIn }), ...(tokensOut === undefined ? {} : { tokensOut }) };
  }

  /** The last few KB as latin1 (enough for ASCII markers; multibyte text is not decoded). */
  text(): string {
    const joined = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    return joined.subarray(Math.max(0, joined.length - TAIL_BYTES * 2)).toString('latin1');
  }
}

/** Each family's name for the prompt's and the answer's token counts, as quoted JSON keys. */
const INPUT_KEYS = ['"prompt_tokens"', '"input_tokens"', '"promptTokenCount"'];
const OUTPUT_KEYS = ['"completion_tokens"', '"output_tokens"', '"candidatesTokenCount"'];

/**
 * The number after the last of `keys` that has one (`"key": 123`). Searched from the end with
 * lastIndexOf: a global regex scanned the whole tail and built a match per occurrence, on every
 * request's monitor entry.
 */
function lastNumber(text: string, keys: readonly string[]): number | undefined {
  let before = text.length;
  while (before >= 0) {
    let at = -1;
    let keyLength = 0;
    for (const key of keys) {
      const found = text.lastIndexOf(key, before);
      if (found > at) {
        at = found;
        keyLength = key.length;
      }
    }
    if (at < 0) return undefined;
    const value = numberAfterColon(text, at + keyLength);
    if (value !== undefined) return value;
    before = at - 1;
  }
  return undefined;
}

/** The digits after `: ` at `from` (JSON whitespace around the colon), or undefined when something else follows. */
function numberAfterColon(text: string, from: number): number | undefined {
  let i = skipSpace(text, from);
  if (text.charCodeAt(i) !== 0x3a) return undefined;
  i = skipSpace(text, i + 1);
  const start = i;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  return i === start ? undefined : Number(text.slice(start, i));
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  return i;
}
