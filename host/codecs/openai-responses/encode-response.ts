import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { convertToOpenAIResponsesUsage } from './convert-usage.js';
import { wrapOpaque } from '../shared/opaque-signature.js';
import { freeformInput, isFreeformTool } from './freeform-tools.js';
import { mapToOpenAIResponsesOutcome } from './map-finish-reason.js';
import { buildResponseEcho, buildResponseObject, outputItemId, toResponseId } from './response-object.js';
import type { ResponsesOutputItem, ResponsesOutputMessage, ResponsesResponseObject } from './wire.js';

/**
 * IR response → a Responses `Response` object. Output items follow the IR content order:
 * reasoning → a `reasoning` item (text as one `summary_text`, the signature in
 * `encrypted_content`), consecutive text parts → one `message` item with one `output_text` each,
 * tool call → a `function_call` item whose `call_id` is the upstream's call id (so the client's
 * `function_call_output` maps back) and whose `arguments` are the upstream's text, untouched — or,
 * for a tool the client declared as custom, a `custom_tool_call` with the raw `input`.
 * `output_text` is not written: it is an SDK convenience the SDKs compute themselves.
 * A Gemini function-call signature (IrToolCallPart.signature) has no place in a function_call
 * item and is not written.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function encodeOpenAIResponsesResponse(response: IrResponse, request: IrRequest): ResponsesResponseObject {
  const id = toResponseId(response.id);
  const output: ResponsesOutputItem[] = [];
  let message: ResponsesOutputMessage | undefined;
  for (const part of response.content) {
    const outputIndex = output.length;
    switch (part.type) {
      case 'text':
        if (message === undefined) {
          message = { type: 'message', id: outputItemId('msg', id, outputIndex), status: 'completed', role: 'assistant', content: [] };
          output.push(message);
        }
        message.content.push({ type: 'output_text', text: part.text, annotations: [] });
        continue;
      case 'reasoning': {
        message = undefined;
        const item: ResponsesOutputItem = {
          type: 'reasoning',
          id: outputItemId('rs', id, outputIndex),
          summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
        };
        if (part.signature !== undefined) item.encrypted_content = wrapOpaque(part.signature, part.redacted ? 'redacted' : 'reasoning', 'openai');
        output.push(item);
        continue;
      }
      case 'tool-call':
        message = undefined;
        output.push(
          isFreeformTool(request, part.toolName)
            ? { type: 'custom_tool_call', id: outputItemId('ctc', id, outputIndex), call_id: part.toolCallId, name: part.toolName, input: freeformInput(part.argumentsText), status: 'completed' }
            : { type: 'function_call', id: outputItemId('fc', id, outputIndex), call_id: part.toolCallId, name: part.toolName, arguments: part.argumentsText, status: 'completed' },
        );
        // A Gemini function-call signature rides in a reasoning item right after its call
        // (see encode-stream.ts #callSignatureCarrier).
        if (part.signature) {
          output.push({ type: 'reasoning', id: outputItemId('rs', id, output.length), summary: [], encrypted_content: wrapOpaque(part.signature, 'call', 'openai') });
        }
        continue;
    }
  }
  const outcome = mapToOpenAIResponsesOutcome(response.finishReason);
  return buildResponseObject(
    {
      id,
      model: response.model || request.model,
      createdAt: response.created,
      status: outcome.status,
      output,
      usage: convertToOpenAIResponsesUsage(response.usage),
      incompleteDetails: outcome.incompleteDetails,
    },
    buildResponseEcho(request),
  );
}
