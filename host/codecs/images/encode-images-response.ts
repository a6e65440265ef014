import type { GeminiImageAnswer } from './gemini-image.js';

const OUTPUT_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };

/**
 * Gemini's answers → one OpenAI ImagesResponse: every image as `b64_json` (Localgate hosts no
 * files, so a `url` request gets the bytes too), `output_format` when all images share a known
 * type, and the calls' usage summed in the GPT image models' shape.
 * @see https://platform.openai.com/docs/api-reference/images/object
 */
export function encodeImagesResponse(answers: readonly GeminiImageAnswer[], created = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  const images = answers.flatMap((answer) => answer.images);
  const response: Record<string, unknown> = { created, data: images.map((image) => ({ b64_json: image.data })) };
  const formats = new Set(images.map((image) => OUTPUT_FORMATS[image.mimeType]));
  const [format] = formats;
  if (formats.size === 1 && format !== undefined) response.output_format = format;
  if (answers.some((answer) => answer.inputTokens !== undefined || answer.outputTokens !== undefined)) {
    const input = answers.reduce((sum, answer) => sum + (answer.inputTokens ?? 0), 0);
    const output = answers.reduce((sum, answer) => sum + (answer.outputTokens ?? 0), 0);
    response.usage = { input_tokens: input, output_tokens: output, total_tokens: input + output };
  }
  return response;
}
