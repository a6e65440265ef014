import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { toGeminiUsage } from './convert-usage.js';
import { encodeAssistantParts } from './encode-parts.js';
import { toGeminiFinishReason } from './map-finish-reason.js';
import type { GeminiGenerateContentResponse } from './wire.js';

/**
 * IR response → a Gemini `GenerateContentResponse` for a Gemini client. One candidate; function
 * calls carry their IR id in `functionCall.id` (SDKs send it back in `functionResponse.id`);
 * every signature goes out, foreign ones wrapped (signature.ts). The content always has at least
 * one part: @google/genai's chat drops a turn whose content has no parts from its history.
 * @see https://ai.google.dev/api/generate-content#generatecontentresponse
 */
export function encodeGeminiResponse(response: IrResponse, _request: IrRequest): GeminiGenerateContentResponse {
  const parts = encodeAssistantParts(response.content, { target: 'client', warnings: response.warnings });
  return {
    candidates: [
      {
        content: { role: 'model', parts: parts.length > 0 ? parts : [{ text: '' }] },
        finishReason: toGeminiFinishReason(response.finishReason),
        index: 0,
      },
    ],
    usageMetadata: toGeminiUsage(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  };
}
