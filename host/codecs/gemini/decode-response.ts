import { randomUUID } from 'node:crypto';
import type { IrAssistantPart, IrPart } from '../../ir/ir-part.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { convertGeminiUsage } from './convert-usage.js';
import { appendAssistantParts, decodeGeminiParts } from './decode-parts.js';
import { mapGeminiFinishReason } from './map-finish-reason.js';
import { attachCitations, decodeGroundingMetadata } from './grounding.js';
import { isRecord, readField, type GeminiUsageMetadata } from './wire.js';

/**
 * A Gemini `GenerateContentResponse` → IR response. Only the first candidate is read (the IR has
 * one answer; `candidateCount > 1` is kept for Gemini upstreams only). A prompt blocked before
 * generation (`promptFeedback.blockReason`, no candidates) becomes an empty `content-filter` answer.
 * Function calls get `call_<responseId>_<index>` ids unless Gemini sent its own. Grounding with
 * Google Search (`groundingMetadata`) becomes a web-search-call part first and citations on the
 * text parts (grounding.ts).
 * @see https://ai.google.dev/api/generate-content#generatecontentresponse
 */
export function decodeGeminiResponse(body: unknown): IrResponse {
  if (!isRecord(body)) throw new Error('Gemini response is not a JSON object');
  const warnings: IrWarning[] = [];
  const responseId = typeof readField(body, 'responseId') === 'string' ? (readField(body, 'responseId') as string) : undefined;
  const id = responseId ?? `gemini-${randomUUID()}`;
  const candidates = Array.isArray(body['candidates']) ? body['candidates'] : [];
  const candidate = candidates.find((entry) => isRecord(entry) && (entry['index'] ?? 0) === 0) ?? candidates[0];
  if (candidates.length > 1) warnings.push({ type: 'dropped', feature: 'candidates', details: `${candidates.length - 1} extra candidate(s)` });

  const content: IrAssistantPart[] = [];
  let finishRaw: string | undefined;
  if (isRecord(candidate)) {
    const candidateContent = candidate['content'];
    const parts = isRecord(candidateContent) && Array.isArray(candidateContent['parts']) ? candidateContent['parts'] : [];
    const callPrefix = toolCallPrefix(responseId);
    const decoded: IrPart[] = [];
    appendAssistantParts(decoded, decodeGeminiParts(parts, { toolCallId: (_name, index) => `${callPrefix}${index}`, warnings, path: 'candidates[0].content.parts' }));
    for (const part of decoded) {
      if (part.type === 'file') warnings.push({ type: 'dropped', feature: 'output-file', details: 'generated media has no IR equivalent' });
      else if (part.type !== 'tool-result') content.push(part);
    }
    const texts = content.filter((part) => part.type === 'text');
    const grounding = decodeGroundingMetadata(readField(candidate, 'groundingMetadata'), texts.map((part) => part.text).join(''), `ws_${id}`);
    attachCitations(texts, grounding.citations);
    // The search ran before the answer was written.
    if (grounding.call) content.unshift(grounding.call);
    const reason = readField(candidate, 'finishReason');
    if (typeof reason === 'string') finishRaw = reason;
  }
  const feedback = readField(body, 'promptFeedback');
  const blockReason = isRecord(feedback) ? readField(feedback, 'blockReason') : undefined;
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  const finishReason =
    finishRaw === undefined && typeof blockReason === 'string'
      ? { unified: 'content-filter' as const, raw: blockReason, protocol: 'gemini' as const }
      : mapGeminiFinishReason(finishRaw, hasToolCalls);

  const modelVersion = readField(body, 'modelVersion');
  const createTime = readField(body, 'createTime');
  const created = typeof createTime === 'string' && !Number.isNaN(Date.parse(createTime)) ? Math.floor(Date.parse(createTime) / 1000) : Math.floor(Date.now() / 1000);
  return {
    id,
    model: typeof modelVersion === 'string' ? modelVersion : '',
    created,
    content,
    finishReason,
    usage: convertGeminiUsage(readField(body, 'usageMetadata') as GeminiUsageMetadata | undefined),
    warnings,
  };
}

/**
 * Prefix for generated call ids. The response id makes them unique across turns (Anthropic
 * clients reject duplicate tool_use ids); without one, a random prefix does.
 */
export function toolCallPrefix(responseId: string | undefined): string {
  return `call_${responseId ?? randomUUID().slice(0, 8)}_`;
}
