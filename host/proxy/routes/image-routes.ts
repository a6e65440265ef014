import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeImagesResponse } from '../../codecs/images/encode-images-response.js';
import { DEFAULT_IMAGE_MODEL, MAX_IMAGES, type ImageFile, type ImageRequest } from '../../codecs/images/image-request.js';
import { parseImageSize } from '../../codecs/images/aspect-ratio.js';
import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import type { ProxyDeps } from '../../core/proxy-deps.js';
import { serveImages } from '../../pipeline/serve-images.js';
import { pipelineContext } from '../pipeline-context.js';
import { sendProxyError } from '../client-protocol.js';
import { relayRejection, relaySuccess } from '../relay-upstream.js';
import { setWarningsHeader } from '../warnings-header.js';
import { objectBody, passThroughOf } from './request-body.js';

/**
 * The OpenAI Images API: `POST /v1/images/generations` (JSON) and `POST /v1/images/edits`
 * (multipart, as `client.images.edit` uploads files). Served by OpenAI-compatible accounts as is,
 * or by Gemini image models (host/pipeline/serve-images.ts).
 * @see https://platform.openai.com/docs/api-reference/images
 */
export function imageRoutes(deps: ProxyDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    // Multipart bodies are read only by the routes of this plugin (Fastify scopes parsers to
    // their plugin), whole and under the same body limit as JSON, and parsed by the platform's
    // own form parser (undici's, in Node), loaded on the first upload.
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
      try {
        return await new Response(body, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
      } catch {
        throw Object.assign(new Error('The multipart/form-data body could not be read.'), { statusCode: 400 });
      }
    });

    app.post('/v1/images/generations', async (request, reply) => {
      const body = objectBody(request);
      if (!body) return invalid(reply, 'The request body must be a JSON object.');
      const parsed = imageOptions((name) => body[name], 'generations');
      if ('kind' in parsed) return sendProxyError(reply, 'openai', parsed);
      return respond(request, reply, deps, { ...parsed, images: [], passThrough: { kind: 'json', ...passThroughOf(request, body) } });
    });

    app.post('/v1/images/edits', async (request, reply) => {
      const form = request.body;
      if (!(form instanceof FormData)) return invalid(reply, 'An image edit is a multipart/form-data upload with `image` and `prompt`.');
      const text = (name: string): unknown => {
        const value = form.get(name);
        return typeof value === 'string' ? value : undefined;
      };
      const parsed = imageOptions(text, 'edits');
      if ('kind' in parsed) return sendProxyError(reply, 'openai', parsed);
      const imageField = form.has('image[]') ? 'image[]' : 'image';
      const images = await Promise.all(form.getAll(imageField).filter(isFile).map(readFile));
      if (images.length === 0) return invalid(reply, "'image' is required: one or more image files.");
      const maskValue = form.get('mask');
      const fields = [...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === 'string');
      const edit: ImageRequest = { ...parsed, images, passThrough: { kind: 'form', fields, imageField } };
      if (isFile(maskValue)) edit.mask = await readFile(maskValue);
      return respond(request, reply, deps, edit);
    });
  };
}

type ImageOptions = Omit<ImageRequest, 'images' | 'mask' | 'passThrough'>;

/** The options both operations share, from JSON or form fields (numbers and booleans as text in a form). */
function imageOptions(field: (name: string) => unknown, operation: ImageRequest['operation']): ImageOptions | ProxyError {
  const prompt = field('prompt');
  if (typeof prompt !== 'string' || prompt === '') return proxyError('invalid-request', "'prompt' is required and must be a non-empty string.");
  const model = field('model') ?? DEFAULT_IMAGE_MODEL;
  if (typeof model !== 'string' || model === '') return proxyError('invalid-request', "'model' must be a string.");
  const nValue = field('n');
  const n = nValue === undefined || nValue === null ? 1 : Number(nValue);
  if (!Number.isInteger(n) || n < 1 || n > MAX_IMAGES) return proxyError('invalid-request', `'n' must be an integer from 1 to ${MAX_IMAGES}.`);
  const size = field('size');
  if (size !== undefined && size !== null && (typeof size !== 'string' || (size !== 'auto' && !parseImageSize(size)))) {
    return proxyError('invalid-request', "'size' must be WIDTHxHEIGHT (e.g. 1024x1024) or auto.");
  }
  const format = field('response_format');
  if (format !== undefined && format !== null && format !== 'b64_json' && format !== 'url') return proxyError('invalid-request', "'response_format' must be b64_json or url.");
  const stream = field('stream');
  const options: ImageOptions = { operation, model, prompt, n, stream: stream === true || stream === 'true' };
  if (typeof size === 'string') options.size = size;
  return options;
}

function invalid(reply: FastifyReply, message: string): FastifyReply {
  return sendProxyError(reply, 'openai', proxyError('invalid-request', message));
}

function isFile(value: unknown): value is File {
  return typeof value === 'object' && value !== null && value instanceof Blob;
}

async function readFile(file: File): Promise<ImageFile> {
  return { data: Buffer.from(await file.arrayBuffer()), mimeType: file.type || 'image/png', filename: file.name || 'image.png' };
}

async function respond(request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps, images: ImageRequest): Promise<FastifyReply | void> {
  request.trace.stream = images.stream;
  const result = await serveImages(deps, images, pipelineContext(request, reply));
  switch (result.kind) {
    case 'error':
      return sendProxyError(reply, 'openai', result.error);
    case 'rejected':
      return relayRejection(reply, 'openai', result);
    case 'pass-through':
      return relaySuccess(reply, result.response, 'openai');
    case 'gemini':
      setWarningsHeader(reply, request.trace.warnings);
      return reply.code(200).type('application/json; charset=utf-8').send(encodeImagesResponse(result.answers));
  }
}
