import { randomUUID } from 'node:crypto';
import type { IrAssistantPart } from '../../ir/ir-part.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { convertOpenAIChatUsage } from './convert-usage.js';
import { isRecord } from './decode-request.js';
import { mapOpenAIChatFinishReason } from './map-finish-reason.js';
import type { OpenAIChatCompletion, OpenAIChatResponseMessage } from './wire.js';

/**
 * A `chat.completion` object from an OpenAI-family upstream → IrResponse.
 * Content order: reasoning (`reasoning_content`, or `reasoning` from OpenRouter/Ollama), text,
 * the refusal as text, then tool calls. Only `choices[0]` is read (the proxy never asks for n>1).
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function decodeOpenAIChatResponse(body: unknown): IrResponse {
  if (!isRecord(body)) throw new Error('The upstream answered with something other than a JSON object');
  const completion = body as Partial<OpenAIChatCompletion>;
  const warnings: IrWarning[] = [];
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  const message: Partial<OpenAIChatResponseMessage> = isRecord(choice?.message) ? choice.message : {};
  const content: IrAssistantPart[] = [];

  const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : typeof message.reasoning === 'string' ? message.reasoning : '';
  if (reasoning) content.push({ type: 'reasoning', text: reasoning });
  if (typeof message.content === 'string' && message.content) content.push({ type: 'text', text: message.content });
  else if (Array.isArray(message.content)) {
    // Some compatible servers answer with content parts.
    for (const part of message.content as unknown[]) {
      if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') content.push({ type: 'text', text: part.text });
    }
  }
  if (typeof message.refusal === 'string' && message.refusal) {
    content.push({ type: 'text', text: message.refusal });
    warnings.push({ type: 'coerced', feature: 'refusal', details: 'the refusal is returned as text' });
  }
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, index) => {
      if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') return;
      content.push({
        type: 'tool-call',
        toolCallId: typeof call.id === 'string' && call.id ? call.id : `call_${index}_${randomUUID().slice(0, 8)}`,
        toolName: call.function.name,
        argumentsText: nonEmptyArguments(call.function.arguments),
      });
    });
  }
  if (isRecord(message.function_call) && typeof message.function_call.name === 'string') {
    content.push({ type: 'tool-call', toolCallId: `call_legacy_${randomUUID().slice(0, 8)}`, toolName: message.function_call.name, argumentsText: nonEmptyArguments(message.function_call.arguments) });
  }
  if (Array.isArray(completion.choices) && completion.choices.length > 1) {
    warnings.push({ type: 'dropped', feature: 'n', details: `${completion.choices.length} choices; only the first is used` });
  }

  return {
    id: typeof completion.id === 'string' ? completion.id : `chatcmpl-${randomUUID()}`,
    model: typeof completion.model === 'string' ? completion.model : '',
    created: typeof completion.created === 'number' ? completion.created : Math.floor(Date.now() / 1000),
    content,
    finishReason: mapOpenAIChatFinishReason(choice?.finish_reason),
    usage: convertOpenAIChatUsage(completion.usage),
    warnings,
  };
}

/** Arguments exactly as sent; `{}` only when none were (an empty string or a missing field). */
function nonEmptyArguments(args: unknown): string {
  if (typeof args === 'string') return args.length > 0 ? args : '{}';
  if (isRecord(args)) return JSON.stringify(args);
  return '{}';
}
