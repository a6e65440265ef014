/**
 * Finds OpenAI-style token usage in a response without buffering it: only the last few KB are
 * kept (usage is the last field of a JSON body and the last chunk of a stream), and they are
 * searched once, when the response ends.
 */
const TAIL_BYTES = 4096;

export class UsageTail {
  #tail: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (chunk.length >= TAIL_BYTES) {
      this.#tail = chunk.subarray(chunk.length - TAIL_BYTES);
    } else if (this.#tail.length + chunk.length <= TAIL_BYTES) {
      this.#tail = this.#tail.length === 0 ? chunk : Buffer.concat([this.#tail, chunk]);
    } else {
      this.#tail = Buffer.concat([this.#tail.subarray(this.#tail.length + chunk.length - TAIL_BYTES), chunk]);
    }
  }

  usage(): { tokensIn?: number; tokensOut?: number } {
    const text = this.#tail.toString('latin1');
    const tokensIn = lastNumber(text, /"(?:prompt_tokens|input_tokens)"\s*:\s*(\d+)/g);
    const tokensOut = lastNumber(text, /"(?:completion_tokens|output_tokens)"\s*:\s*(\d+)/g);
    return { ...(tokensIn === undefined ? {} : { tokensIn }), ...(tokensOut === undefined ? {} : { tokensOut }) };
  }
}

function lastNumber(text: string, pattern: RegExp): number | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last === undefined ? undefined : Number(last);
}
