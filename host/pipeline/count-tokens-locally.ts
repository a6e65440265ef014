import type { IrRequest } from '../ir/ir-request.js';

/** What a tokenizer needs: text in, a count out. */
type Counter = (text: string) => number;

let counter: Promise<Counter> | undefined;

/**
 * Loaded on first use (the BPE ranks are several MB), so a daemon that never counts never pays.
 * o200k_base is OpenAI's current encoding; for other families it is an estimate, which is what
 * their clients use a count for (budgeting context), and the upstream's own endpoint is used
 * whenever the serving account has one.
 */
function loadCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => (text: string) => module.countTokens(text));
  return counter;
}

/** Per-message framing tokens (role markers), as in OpenAI's published counting recipe. */
const TOKENS_PER_MESSAGE = 3;
/** An image of unknown size: a mid-size tile estimate (providers charge by dimensions). */
const TOKENS_PER_IMAGE = 765;

/** Counts everything a request puts in the model's context: instructions, messages, tools. */
export async function countTokensLocally(request: IrRequest): Promise<number> {
  const count = await loadCounter();
  let total = 0;
  const texts: string[] = [];
  for (const part of request.instructions) texts.push(part.text);
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE;
    for (const part of message.parts) {
      switch (part.type) {
        case 'text':
          texts.push(part.text);
          break;
        case 'reasoning':
          texts.push(part.text);
          break;
        case 'tool-call':
          texts.push(part.toolName, part.argumentsText);
          break;
        case 'tool-result':
          for (const inner of part.content) {
            if (inner.type === 'text') texts.push(inner.text);
            else total += TOKENS_PER_IMAGE;
          }
          break;
        case 'file':
          total += TOKENS_PER_IMAGE;
          break;
      }
    }
  }
  for (const tool of request.tools) texts.push(tool.name, tool.description ?? '', JSON.stringify(tool.parameters));
  for (const text of texts) if (text) total += count(text);
  return total;
}

/** Counts plain texts (embedding inputs), for an upstream that reports no usage. */
export async function countTextsLocally(texts: readonly string[]): Promise<number> {
  const count = await loadCounter();
  let total = 0;
  for (const text of texts) if (text) total += count(text);
  return total;
}
