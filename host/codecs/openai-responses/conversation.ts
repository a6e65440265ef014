import type { ResponsesOutputItem } from './wire.js';

/** A Responses `input` as a list of items (a string is one user message); undefined when it is neither. */
export function inputItems(input: unknown): unknown[] | undefined {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : undefined;
}

/**
 * A response's output as input items for the turn after it, as a client sending the whole
 * conversation would: messages, function and custom tool calls, and reasoning items (their
 * `encrypted_content` carries the upstream's signatures back). A web search call is left out: no
 * upstream outside OpenAI can replay it, and its findings are in the message that cites them.
 */
export function outputAsInput(output: readonly ResponsesOutputItem[]): unknown[] {
  return output.filter((item) => item.type !== 'web_search_call');
}
