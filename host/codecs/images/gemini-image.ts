import type { IrWarning } from '../../ir/ir-warning.js';
import type { GeminiGenerateContentRequest, GeminiGenerateContentResponse, GeminiPart } from '../gemini/wire.js';
import { aspectRatioForSize } from './aspect-ratio.js';
import type { ImageRequest } from './image-request.js';

/**
 * One image from a Gemini image model: `generateContent` asked for image output only
 * (`responseModalities: ['IMAGE']`), the size as an aspect ratio, the source images of an edit
 * as `inlineData` parts after the prompt. The prompt goes as the client wrote it. One call makes
 * one image: `n` images are `n` calls.
 * @see https://ai.google.dev/gemini-api/docs/image-generation
 */
export function encodeGeminiImageRequest(request: ImageRequest): GeminiGenerateContentRequest {
  const parts: GeminiPart[] = [{ text: request.prompt }];
  for (const image of request.images) parts.push({ inlineData: { mimeType: image.mimeType, data: image.data.toString('base64') } });
  const aspectRatio = aspectRatioForSize(request.size);
  return {
    contents: [{ role: 'user', parts }],
    generationConfig: { responseModalities: ['IMAGE'], ...(aspectRatio ? { imageConfig: { aspectRatio } } : {}) },
  };
}

/** The request fields a Gemini image call carries (the files are its images and mask). */
const CARRIED_FIELDS = new Set(['model', 'prompt', 'n', 'size', 'response_format', 'stream', 'image', 'image[]', 'mask']);

/**
 * What a Gemini image call leaves out of the client's request: every option Gemini has no
 * counterpart for (`quality`, `background`, `style`, `output_format`…), and a `url` answer,
 * which comes as `b64_json`.
 */
export function geminiImageWarnings(request: ImageRequest): IrWarning[] {
  const fields = request.passThrough.kind === 'json' ? Object.entries(request.passThrough.body) : request.passThrough.fields;
  const warnings: IrWarning[] = [];
  for (const [name, value] of fields) {
    if (value === undefined || value === null) continue;
    if (name === 'response_format' && value === 'url') warnings.push({ type: 'coerced', feature: 'response_format', details: 'Images come as b64_json: Localgate hosts no files.' });
    else if (!CARRIED_FIELDS.has(name)) warnings.push({ type: 'dropped', feature: name, details: `Gemini image models have no \`${name}\` option.` });
  }
  return warnings;
}

export interface GeminiImageAnswer {
  /** Base64 bytes and their type, in the order of the answer's parts. */
  images: Array<{ data: string; mimeType: string }>;
  inputTokens?: number;
  outputTokens?: number;
  /** Why there is no image, when there is none (`NO_IMAGE`, `SAFETY`, a prompt block reason…). */
  refusal?: string;
}

/** A GenerateContentResponse → its images (`inlineData` parts with an image type) and usage. */
export function decodeGeminiImageResponse(body: unknown): GeminiImageAnswer {
  const response = (typeof body === 'object' && body !== null ? body : {}) as GeminiGenerateContentResponse;
  const candidate = response.candidates?.[0];
  const images: GeminiImageAnswer['images'] = [];
  for (const part of candidate?.content?.parts ?? []) {
    const blob = part.inlineData ?? (part.inline_data as GeminiPart['inlineData']);
    if (blob && typeof blob.data === 'string' && String(blob.mimeType ?? blob.mime_type ?? '').startsWith('image/')) {
      images.push({ data: blob.data, mimeType: String(blob.mimeType ?? blob.mime_type) });
    }
  }
  const answer: GeminiImageAnswer = { images };
  const usage = response.usageMetadata;
  if (typeof usage?.promptTokenCount === 'number') answer.inputTokens = usage.promptTokenCount;
  if (typeof usage?.candidatesTokenCount === 'number') answer.outputTokens = usage.candidatesTokenCount;
  if (images.length === 0) answer.refusal = response.promptFeedback?.blockReason ?? candidate?.finishReason ?? 'no candidate';
  return answer;
}
