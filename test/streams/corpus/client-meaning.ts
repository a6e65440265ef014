import type { IrUnifiedFinishReason } from '../../../host/ir/ir-response.js';
import { SseParser } from '../../../host/codecs/shared/sse-parser.js';
import { MeaningBuilder, type StreamMeaning } from './stream-meaning.js';

/**
 * What a client ended up with, read from each protocol's own final shapes (the objects the SDKs
 * hand to user code), normalised to a StreamMeaning so one expectation serves every protocol.
 */

/** An OpenAI Responses `response` object (from `response.completed` / `response.incomplete`). */
export function meaningOfResponsesObject(response: any): StreamMeaning {
  const content = new MeaningBuilder();
  for (const item of response.output ?? []) {
    if (item.type === 'message') for (const part of item.content ?? []) if (part.type === 'output_text') content.addText(part.text);
    if (item.type === 'reasoning') for (const part of item.summary ?? []) content.addReasoning(part.text);
    if (item.type === 'function_call') content.addToolCall(item.name, JSON.parse(item.arguments));
  }
  const finish: IrUnifiedFinishReason =
    response.status === 'incomplete'
      ? response.incomplete_details?.reason === 'max_output_tokens'
        ? 'length'
        : 'content-filter'
      : response.status !== 'completed'
        ? 'error'
        : content.toolCalls.length > 0
          ? 'tool-calls'
          : 'stop';
  return content.build(finish, { input: response.usage?.input_tokens ?? -1, output: response.usage?.output_tokens ?? -1 });
}

/** An Anthropic `Message` (what `messages.stream().finalMessage()` resolves to). */
export function meaningOfAnthropicMessage(message: any): StreamMeaning {
  const content = new MeaningBuilder();
  for (const block of message.content ?? []) {
    if (block.type === 'text') content.addText(block.text);
    if (block.type === 'thinking') content.addReasoning(block.thinking);
    if (block.type === 'tool_use') content.addToolCall(block.name, block.input);
  }
  const finish: Record<string, IrUnifiedFinishReason> = { end_turn: 'stop', stop_sequence: 'stop', tool_use: 'tool-calls', max_tokens: 'length', refusal: 'content-filter' };
  // Anthropic counts cached prompt tokens apart; every other protocol counts them in the input.
  const usage = message.usage;
  const input = usage ? usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) : -1;
  return content.build(finish[message.stop_reason] ?? 'other', { input, output: usage?.output_tokens ?? -1 });
}

/**
 * The GenerateContentResponse chunks of a Gemini stream, read part by part (parallel calls come
 * as several parts of one chunk). Gemini has no tool-call finish reason: STOP with calls is one.
 */
export function meaningOfGeminiChunks(chunks: readonly any[]): StreamMeaning {
  const content = new MeaningBuilder();
  let finishReason: string | undefined;
  let usage: any;
  for (const chunk of chunks) {
    // An error inside the stream (the JSON-array form carries it as an element) fails the read, as in the SDKs.
    if (chunk.error) throw new Error(`the Gemini stream carries an error: ${JSON.stringify(chunk.error)}`);
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) content.addToolCall(part.functionCall.name, part.functionCall.args ?? {});
      else if (typeof part.text === 'string') {
        if (part.thought === true) content.addReasoning(part.text);
        else content.addText(part.text);
      }
    }
    // A blocked prompt has no candidate: the reason is in promptFeedback.
    finishReason = candidate?.finishReason ?? chunk.promptFeedback?.blockReason ?? finishReason;
    usage = chunk.usageMetadata ?? usage;
  }
  const finish: IrUnifiedFinishReason =
    finishReason === 'MAX_TOKENS' ? 'length' : finishReason === 'STOP' ? (content.toolCalls.length > 0 ? 'tool-calls' : 'stop') : finishReason === undefined ? 'other' : 'content-filter';
  return content.build(finish, { input: usage?.promptTokenCount ?? -1, output: usage ? (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0) : -1 });
}

/** Accumulates OpenAI `chat.completion.chunk`s as user code does (content, reasoning_content, tool calls by index). */
export class ChatChunkAccumulator {
  readonly #content = new MeaningBuilder();
  readonly #calls: Array<{ name: string; arguments: string }> = [];
  #finishReason: string | null = null;
  #usage: { prompt_tokens: number; completion_tokens: number } | undefined;

  push(chunk: any): void {
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta ?? {};
    if (typeof delta.reasoning_content === 'string') this.#content.addReasoning(delta.reasoning_content);
    if (typeof delta.content === 'string') this.#content.addText(delta.content);
    for (const call of delta.tool_calls ?? []) {
      this.#content.sawToolCall();
      const slot = (this.#calls[call.index] ??= { name: '', arguments: '' });
      if (call.function?.name) slot.name = call.function.name;
      if (call.function?.arguments) slot.arguments += call.function.arguments;
    }
    if (choice.finish_reason) this.#finishReason = choice.finish_reason;
  }

  meaning(): StreamMeaning {
    const finish: Record<string, IrUnifiedFinishReason> = { stop: 'stop', tool_calls: 'tool-calls', function_call: 'tool-calls', length: 'length', content_filter: 'content-filter' };
    // Arguments are parsed only now, complete (as the SDK's ChatCompletionStream does).
    this.#content.toolCalls.push(...this.#calls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments || '{}') as Record<string, unknown> })));
    return this.#content.build((this.#finishReason && finish[this.#finishReason]) || 'other', { input: this.#usage?.prompt_tokens ?? -1, output: this.#usage?.completion_tokens ?? -1 });
  }
}

/** The client protocols a proxy stream can be written in (Gemini in both of its forms). */
export type ClientWire = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini-sse' | 'gemini-json-array';

/** A whole client stream's text (what the proxy wrote) → its meaning, read as that protocol's clients read it. */
export function meaningOfClientStream(wire: ClientWire, text: string): StreamMeaning {
  if (wire === 'gemini-json-array') return meaningOfGeminiChunks(JSON.parse(text) as unknown[]);
  const parser = new SseParser();
  const events = [...parser.push(Buffer.from(text, 'utf8')), ...parser.end()].filter((event) => event.data !== '' && event.data !== '[DONE]');
  const payloads = events.map((event) => JSON.parse(event.data) as any);
  const failed = payloads.find((payload) => payload.error !== undefined || payload.type === 'error');
  if (failed) throw new Error(`the client stream carries an error: ${JSON.stringify(failed)}`);
  switch (wire) {
    case 'openai-chat': {
      const accumulator = new ChatChunkAccumulator();
      payloads.forEach((payload) => accumulator.push(payload));
      return accumulator.meaning();
    }
    case 'openai-responses': {
      const last = payloads.findLast((payload) => payload.type === 'response.completed' || payload.type === 'response.incomplete');
      if (!last) throw new Error('no response.completed / response.incomplete event');
      return meaningOfResponsesObject(last.response);
    }
    case 'anthropic':
      return meaningOfAnthropicMessage(accumulateAnthropic(payloads));
    case 'gemini-sse':
      return meaningOfGeminiChunks(payloads);
  }
}

/** Anthropic stream events → the final Message, as the SDK's MessageStream builds it. */
function accumulateAnthropic(events: readonly any[]): any {
  let message: any;
  const json = new Map<number, string>();
  for (const event of events) {
    if (event.type === 'message_start') message = structuredClone(event.message);
    else if (event.type === 'content_block_start') message.content[event.index] = structuredClone(event.content_block);
    else if (event.type === 'content_block_delta') {
      const block = message.content[event.index];
      if (event.delta.type === 'text_delta') block.text += event.delta.text;
      else if (event.delta.type === 'thinking_delta') block.thinking += event.delta.thinking;
      else if (event.delta.type === 'input_json_delta') json.set(event.index, (json.get(event.index) ?? '') + event.delta.partial_json);
    } else if (event.type === 'content_block_stop') {
      const text = json.get(event.index);
      if (text !== undefined && text !== '') message.content[event.index].input = JSON.parse(text);
    } else if (event.type === 'message_delta') {
      message.stop_reason = event.delta.stop_reason;
      message.usage = { ...message.usage, ...Object.fromEntries(Object.entries(event.usage ?? {}).filter(([, value]) => value !== null)) };
    }
  }
  return message;
}
