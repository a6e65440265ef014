import { createHash } from 'node:crypto';

/**
 * OpenAI's Images API for the fake OpenAI upstream, as documented
 * (https://platform.openai.com/docs/api-reference/images) and as recorded in the Vercel AI SDK's
 * fixtures (packages/openai/src/image/__fixtures__/openai-image.json, openai-image-edit.json,
 * gpt-image-response-format-error.json):
 * - `POST /v1/images/generations` (JSON) and `POST /v1/images/edits` (multipart/form-data: `image`
 *   or `image[]` files, an optional `mask`, text fields);
 * - an ImagesResponse `{created, data: [{b64_json}…], background, output_format, quality, size, usage}`
 *   for the GPT image models, `n` images; `dall-e-*` answer `{url, revised_prompt}` unless
 *   `response_format` is `b64_json`; GPT image models refuse `response_format` with OpenAI's 400
 *   `unknown_parameter`; with `stream: true` they stream partial images and the completed one.
 * Each image's bytes are a PNG signature followed by a digest of the prompt and the image's
 * index, so a test can tell which prompt made which image.
 */
export const IMAGE_PATHS = new Set(['/v1/images/generations', '/v1/images/edits']);

/** The fields of a JSON body, or of a multipart form (text fields as strings, files as Blobs). */
export function imageFields(body: unknown): Record<string, unknown> {
  if (body instanceof FormData) {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of body.entries()) fields[name] = value;
    return fields;
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** The bytes of the fake's image number `index` for `prompt`, base64. */
export function fakeImageBase64(prompt: string, index: number): string {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([png, createHash('sha256').update(`${prompt}#${index}`).digest()]).toString('base64');
}

/**
 * A streamed request (`stream: true`, GPT image models): `partial_images` partial-image events,
 * then the completed image with usage, each as an SSE event named by its `type` (the framing of
 * OpenAI's typed event streams). Edits name them `image_edit.*`.
 * @see https://platform.openai.com/docs/api-reference/images-streaming
 */
function imageStream(path: string, fields: Record<string, unknown>, prompt: string): string[] {
  const kind = path === '/v1/images/edits' ? 'image_edit' : 'image_generation';
  const common = { background: 'opaque', created_at: Math.floor(Date.now() / 1000), output_format: 'png', quality: 'high', size: typeof fields.size === 'string' ? fields.size : '1024x1024' };
  const events: object[] = [];
  for (let index = 0; index < Number(fields.partial_images ?? 0); index++) {
    events.push({ type: `${kind}.partial_image`, b64_json: fakeImageBase64(`${prompt} (partial)`, index), ...common, partial_image_index: index });
  }
  events.push({ type: `${kind}.completed`, b64_json: fakeImageBase64(prompt, 0), ...common, usage: { input_tokens: 50, input_tokens_details: { image_tokens: 40, text_tokens: 10 }, output_tokens: 4160, total_tokens: 4210 } });
  return events.map((event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** The status and body OpenAI answers an Images request with (`sse`: the frames of a streamed answer). */
export function imagesAnswer(path: string, body: unknown): { status: number; body?: object; sse?: string[] } {
  const fields = imageFields(body);
  const model = typeof fields.model === 'string' ? fields.model : 'dall-e-2';
  const prompt = String(fields.prompt ?? '');
  const n = Number(fields.n ?? 1);
  const gptImage = model.startsWith('gpt-image') || model.startsWith('chatgpt-image');
  if (gptImage && fields.response_format !== undefined) {
    return { status: 400, body: { error: { message: "Unknown parameter: 'response_format'.", type: 'invalid_request_error', param: 'response_format', code: 'unknown_parameter' } } };
  }
  if (path === '/v1/images/edits' && !(fields.image instanceof Blob) && !(fields['image[]'] instanceof Blob)) {
    return { status: 400, body: { error: { message: "Missing required parameter: 'image'.", type: 'invalid_request_error', param: 'image', code: 'missing_required_parameter' } } };
  }
  if (gptImage && (fields.stream === true || fields.stream === 'true')) return { status: 200, sse: imageStream(path, fields, prompt) };
  const created = Math.floor(Date.now() / 1000);
  const images = Array.from({ length: n }, (_, index) => fakeImageBase64(prompt, index));
  if (!gptImage) {
    const data = fields.response_format === 'b64_json' ? images.map((b64_json) => ({ b64_json, revised_prompt: prompt })) : images.map((_, index) => ({ url: `https://oaidalleapiprodscus.blob.core.windows.net/private/img-${index}.png`, revised_prompt: prompt }));
    return { status: 200, body: { created, data } };
  }
  return {
    status: 200,
    body: {
      created,
      background: 'opaque',
      data: images.map((b64_json) => ({ b64_json })),
      output_format: 'png',
      quality: 'high',
      size: typeof fields.size === 'string' && fields.size !== 'auto' ? fields.size : '1024x1024',
      usage: { input_tokens: 50, input_tokens_details: { image_tokens: 40, text_tokens: 10 }, output_tokens: 4160 * n, total_tokens: 50 + 4160 * n },
    },
  };
}
