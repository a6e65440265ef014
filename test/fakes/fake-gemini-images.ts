import { fakeImageBase64 } from './fake-openai-images.js';

/**
 * Gemini's image models for the fake Gemini upstream, shaped like the answers recorded in the
 * Vercel AI SDK's fixtures (packages/google/src/__fixtures__/google-image-gemini-3.1-flash-image.json,
 * google-image-no-image-live.json) and Google's docs
 * (https://ai.google.dev/gemini-api/docs/image-generation):
 * - an image model (`*-image*`) answers `generateContent` with an `inlineData` part (base64
 *   bytes and their `mimeType`), signed with a `thoughtSignature` on Gemini 3, and usage whose
 *   `candidatesTokensDetails` count IMAGE tokens;
 * - a refusal is `finishReason: NO_IMAGE` with an empty `content`;
 * - asking a text model for image output is Google's 400 "Model does not support the requested
 *   response modalities: image" (as reported against the API in Laisky/one-api#45).
 */
export function isImageModel(model: string): boolean {
  return model.includes('-image');
}

function asksForImages(body: any): boolean {
  const modalities = body?.generationConfig?.responseModalities ?? body?.generation_config?.response_modalities;
  return Array.isArray(modalities) && modalities.some((modality: unknown) => String(modality).toUpperCase() === 'IMAGE');
}

/** Google's refusal of image output from a model that has none. */
export function imageModalityRejection(model: string, body: any): string | undefined {
  return !isImageModel(model) && asksForImages(body) ? 'Model does not support the requested response modalities: image' : undefined;
}

/** The text of the request's user turn, as the image's seed. */
function promptOf(body: any): string {
  const parts: any[] = body?.contents?.at(-1)?.parts ?? [];
  return parts.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/** The GenerateContentResponse of image call number `index`. */
export function geminiImageResponse(model: string, body: any, index: number, finishReason = 'STOP'): object {
  const usage = { promptTokenCount: 10, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 10 }], serviceTier: 'standard' };
  const responseId = `img${index}${Math.random().toString(36).slice(2, 10)}`;
  if (finishReason === 'NO_IMAGE') {
    return { candidates: [{ content: {}, finishReason, index: 0 }], usageMetadata: { ...usage, totalTokenCount: 10 }, modelVersion: model, responseId };
  }
  const gemini3 = /^gemini-([3-9]|\d{2,})/.test(model);
  const part = { inlineData: { mimeType: 'image/png', data: fakeImageBase64(promptOf(body), index) }, ...(gemini3 ? { thoughtSignature: Buffer.from(`sig-${index}`).toString('base64') } : {}) };
  return {
    candidates: [{ content: { parts: [part], role: 'model' }, finishReason, index: 0 }],
    usageMetadata: { ...usage, candidatesTokenCount: 1290, totalTokenCount: 1300, candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1290 }] },
    modelVersion: model,
    responseId,
  };
}
