import type { IrResponse } from '../../ir/ir-response.js';
import type { IrRequest } from '../../ir/ir-request.js';
import { encodeOpenAIChatUsage } from './convert-usage.js';
import { googleExtraContent } from './google-extra-content.js';
import { encodeOpenAIChatFinishReason } from './map-finish-reason.js';
import { OPENAI_CHAT, type OpenAIChatCompletion, type OpenAIChatRequestExtras, type OpenAIChatResponseMessage } from './wire.js';

/**
 * IrResponse → a full `chat.completion` object.
 *
 * - Text parts are joined into `message.content` (null when the answer is only tool calls).
 * - Reasoning text from any family is exposed as `message.reasoning_content`, the field DeepSeek
 *   made common and OpenAI-compatible clients (LiteLLM, Open WebUI, the AI SDK's
 *   openai-compatible provider) read; the official SDK keeps it as an extra property. Signatures
 *   and redacted thinking cannot be expressed and are left out.
 * - A tool call's own signature (Gemini signs `functionCall` parts) goes where Google's
 *   OpenAI-compatible endpoint puts it, `tool_calls[i].extra_content.google.thought_signature`.
 * - A client that used the legacy `functions` API gets `message.function_call` (first call).
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function encodeOpenAIChatResponse(response: IrResponse, request: IrRequest): OpenAIChatCompletion {
  const legacyFunctions = (request.extras[OPENAI_CHAT] as OpenAIChatRequestExtras | undefined)?.legacyFunctions === true;
  let text = '';
  let reasoning = '';
  const toolCalls: NonNullable<OpenAIChatResponseMessage['tool_calls']> = [];
  for (const part of response.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    // A search the upstream ran has no Chat form (the client asked for none: Chat's own
    // web_search_options is not translated).
    else if (part.type === 'web-search-call') continue;
    else {
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.argumentsText },
        ...(part.signature ? { extra_content: googleExtraContent(part.signature) } : {}),
      });
    }
  }
  const message: OpenAIChatResponseMessage = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : ''), refusal: null };
  if (reasoning) message.reasoning_content = reasoning;
  const first = toolCalls[0];
  if (legacyFunctions && first) message.function_call = { name: first.function.name, arguments: first.function.arguments };
  else if (toolCalls.length > 0) message.tool_calls = toolCalls;

  return {
    id: response.id,
    object: 'chat.completion',
    created: response.created,
    model: response.model || request.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: encodeOpenAIChatFinishReason(response.finishReason, { hasToolCalls: toolCalls.length > 0, legacyFunctions }),
      },
    ],
    usage: encodeOpenAIChatUsage(response.usage),
  };
}
