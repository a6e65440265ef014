import type { IrPart } from '../../ir/ir-part.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { toGeminiUsage } from './convert-usage.js';
import { encodeAssistantParts } from './encode-parts.js';
import { toGeminiFinishReason } from './map-finish-reason.js';
import type { GeminiCandidate, GeminiGenerateContentResponse } from './wire.js';
import { GroundingBuilder } from './grounding.js';

/**
 * IR response → a Gemini `GenerateContentResponse` for a Gemini client. One candidate; function
 * calls carry their IR id in `functionCall.id` (SDKs send it back in `functionResponse.id`);
 * every signature goes out, foreign ones wrapped (signature.ts). The content always has at least
 * one part: @google/genai's chat drops a turn whose content has no parts from its history.
 * Searches another family ran and the citations of its text become `groundingMetadata`.
 * @see https://ai.google.dev/api/generate-content#generatecontentresponse
 */
export function encodeGeminiResponse(response: IrResponse, _request: IrRequest): GeminiGenerateContentResponse {
  const grounding = new GroundingBuilder();
  const answer: IrPart[] = [];
  for (const part of response.content) {
    if (part.type === 'web-search-call') {
      grounding.addSearch(part);
      continue;
    }
    answer.push(part);
    if (part.type !== 'text') continue;
    const start = grounding.textOffset;
    grounding.addText(part.text);
    for (const citation of part.citations ?? []) grounding.addCitation(citation, start, part.text);
  }
  const parts = encodeAssistantParts(answer, { target: 'client', warnings: response.warnings });
  const candidate: GeminiCandidate = {
    content: { role: 'model', parts: parts.length > 0 ? parts : [{ text: '' }] },
    finishReason: toGeminiFinishReason(response.finishReason),
    index: 0,
  };
  if (!grounding.empty) candidate.groundingMetadata = grounding.build();
  return {
    candidates: [candidate],
    usageMetadata: toGeminiUsage(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  };
}
