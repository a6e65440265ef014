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
    const tokensIn = lastNumber(text, /"(?:prompt_tokens|input_tokens|promptTokenCount)"\s*:\s*(\d+)/g);
    const tokensOut = lastNumber(text, /"(?:completion_tokens|output_tokens|candidatesTokenCount)"\s*:\s*(\d+)/g);
    return { ...(tokensIn === undefined ? {} : { tokensIn }), ...(tokensOut === undefined ? {} : { tokensOut }) };
  }

  /** The last few KB as latin1 (enough for ASCII markers; multibyte text is not decoded). */
  text(): string {
    const joined = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    return joined.subarray(Math.max(0, joined.length - TAIL_BYTES * 2)).toString('latin1');
  }
}

function lastNumber(text: string, pattern: RegExp): number | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last === undefined ? undefined : Number(last);
}
