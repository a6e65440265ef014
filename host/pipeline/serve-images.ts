import type { Account, Provider } from '../../shared/accounts.js';
import { decodeGeminiImageResponse, encodeGeminiImageRequest, geminiImageWarnings, type GeminiImageAnswer } from '../codecs/images/gemini-image.js';
import type { ImageRequest } from '../codecs/images/image-request.js';
import { encodeImageEditForm } from '../codecs/images/openai-image-form.js';
import { geminiProvider } from '../providers/gemini-provider.js';
import { openAIProvider } from '../providers/openai-provider.js';
import { bodyWithModel, joinUrl, readJsonBody, sendUpstream, type UpstreamResponse } from '../providers/upstream-client.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import type { CancelSignal } from '../core/cancel-signal.js';
import { UPSTREAM_ERROR_DECODERS } from './upstream-error-decoders.js';
import { forwardWithFailover, type ForwardOutcome } from './forward-with-failover.js';
import { resolveModel } from './resolve-model.js';
import { admitRequest, proxyFullError } from './admit-request.js';
import type { GenerationContext } from './serve-generation.js';

/** What the pipeline decided for an Images request, for the proxy layer to write. */
export type ImagesResult =
  | { kind: 'error'; error: ProxyError }
  /** An OpenAI-compatible account refused the request itself: its answer, already in the client's format. */
  | { kind: 'rejected'; status: number; contentType: string; body: string }
  /** An OpenAI-compatible account answered: its bytes go to the client as they come. */
  | { kind: 'pass-through'; account: Account; response: UpstreamResponse }
  /** Gemini made the images, one call each: the client's ImagesResponse is built from their answers (what it dropped is in the trace's warnings). */
  | { kind: 'gemini'; answers: GeminiImageAnswer[] };

/** The families that can make images, in the order they are tried. Anthropic has no image output. */
const IMAGE_FAMILIES: readonly Provider[] = ['openai', 'gemini'];

/**
 * Serves `POST /v1/images/generations` and `/v1/images/edits` from the pool. An OpenAI-compatible
 * account that serves the model goes first: the request passes as it came (only the model mapped),
 * `n` and every option included. Otherwise Gemini accounts make the images with an image model's
 * `generateContent`, `n` calls at once (each with its own failover, so they spread over the
 * accounts), with the prompt untouched. Anthropic accounts are never picked; with no account of
 * either family for the model the client gets a 400 that says so.
 */
export async function serveImages(deps: ProxyDeps, request: ImageRequest, context: GenerationContext): Promise<ImagesResult> {
  const config = deps.config();
  const { trace } = context;
  const model = resolveModel(config.model_mapping, request.model);
  trace.model = request.model;
  trace.mappedModel = model;
  // Gemini can neither repaint a masked area nor stream partial images: those are for OpenAI-compatible accounts only.
  const openAIOnly = request.mask ? 'An image edit with a mask' : request.stream ? 'A streamed image request' : undefined;
  const families = openAIOnly ? (['openai'] as const) : IMAGE_FAMILIES;
  const served = families.filter((family) => deps.pool.readiness(model, [family]).kind !== 'no-account-for-model');
  if (served.length === 0) {
    const why = openAIOnly
      ? `${openAIOnly} needs an OpenAI-compatible account that serves model "${model}" (Gemini image models take no mask and stream no partial images).`
      : `Images need an OpenAI-compatible or Gemini account that serves model "${model}" (Anthropic accounts can't make images). Add one, or map the model to one that is served (model_mapping).`;
    return { kind: 'error', error: proxyError('invalid-request', why) };
  }
  if (!admitRequest(deps, context.onReplyClosed, config.max_concurrent_requests)) {
    trace.error = 'rate-limit';
    return { kind: 'error', error: proxyFullError(config.max_concurrent_requests) };
  }

  const options = { deps, model, context };
  const gemini = served.includes('gemini');
  // OpenAI-compatible first when one is ready (or nothing else serves); Gemini otherwise, and when every OpenAI-compatible account failed.
  if (served.includes('openai') && (!gemini || deps.pool.readiness(model, ['openai']).kind === 'ready')) {
    const result = await passThrough(request, options);
    if (result.kind !== 'error' || !gemini || context.signal.aborted) return finish(result);
  }
  return finish(await generateWithGemini(request, options));

  function finish(outcome: ImagesResult): ImagesResult {
    trace.ttfbMs = Math.round((performance.now() - trace.started) * 10) / 10;
    if (outcome.kind === 'error') trace.error = outcome.error.kind;
    return outcome;
  }
}

interface ServeOptions {
  deps: ProxyDeps;
  model: string;
  context: GenerationContext;
}

function failover(options: ServeOptions, family: Provider, signal: CancelSignal, send: (account: Account) => Promise<UpstreamResponse>): Promise<ForwardOutcome> {
  const config = options.deps.config();
  return forwardWithFailover({
    pool: options.deps.pool,
    model: options.model,
    providers: [family],
    signal,
    maxAttempts: config.max_attempts,
    timeouts: { connect_timeout_s: config.connect_timeout_s, request_timeout_s: config.request_timeout_s, stream_idle_timeout_s: config.stream_idle_timeout_s },
    send: (account) => {
      options.context.trace.account = account.label;
      return send(account);
    },
  });
}

function upstreamTimeouts(options: ServeOptions): { timeoutMs: number; idleTimeoutMs: number } {
  const config = options.deps.config();
  return { timeoutMs: config.request_timeout_s * 1000, idleTimeoutMs: config.stream_idle_timeout_s * 1000 };
}

/** The client's request to an OpenAI-compatible account, as it came (model mapped). */
async function passThrough(request: ImageRequest, options: ServeOptions): Promise<ImagesResult> {
  const { model } = options;
  const form = request.passThrough.kind === 'form' ? await encodeImageEditForm(request, model) : undefined;
  const json = request.passThrough.kind === 'json' ? bodyWithModel(request.passThrough, model) : undefined;
  const outcome = await failover(options, 'openai', options.context.signal, (account) =>
    sendUpstream(options.deps.upstream, {
      url: joinUrl(account.base_url, `/images/${request.operation}`),
      method: 'POST',
      headers: { ...openAIProvider.headers(account, { stream: request.stream }), ...(form ? { 'content-type': form.contentType } : {}) },
      body: form?.body ?? json!,
      signal: options.context.signal,
      ...upstreamTimeouts(options),
    }),
  );
  switch (outcome.kind) {
    case 'error':
      return outcome;
    case 'rejected':
      return { kind: 'rejected', status: outcome.status, contentType: outcome.contentType, body: outcome.body };
    case 'success':
      return { kind: 'pass-through', account: outcome.account, response: outcome.response };
  }
}

/**
 * `n` Gemini calls at once, each failing over on its own. The first failure cancels the others:
 * the client asked for `n` images and gets an error rather than fewer.
 */
async function generateWithGemini(request: ImageRequest, options: ServeOptions): Promise<ImagesResult> {
  const body = JSON.stringify(encodeGeminiImageRequest(request));
  const siblings = new AbortController();
  const cancel = (): void => siblings.abort();
  options.context.signal.addEventListener('abort', cancel, { once: true });
  const one = async (): Promise<GeminiImageAnswer> => {
    const outcome = await failover(options, 'gemini', siblings.signal, (account) =>
      sendUpstream(options.deps.upstream, {
        url: geminiProvider.generateUrl(account, options.model, false),
        method: 'POST',
        headers: geminiProvider.headers(account, { stream: false }),
        body,
        signal: siblings.signal,
        ...upstreamTimeouts(options),
      }),
    );
    if (outcome.kind === 'error') throw outcome.error;
    if (outcome.kind === 'rejected') throw UPSTREAM_ERROR_DECODERS.gemini(outcome.status, outcome.body);
    const answer = decodeGeminiImageResponse(await readJsonBody(outcome.response));
    if (answer.images.length === 0) throw proxyError('invalid-request', `The model answered without an image (${answer.refusal}); the prompt may have been refused.`);
    return answer;
  };
  try {
    const answers = await Promise.all(Array.from({ length: request.n }, () => one().catch((error: unknown) => {
      cancel();
      throw error;
    })));
    const trace = options.context.trace;
    const warnings = geminiImageWarnings(request);
    if (warnings.length > 0) trace.warnings = warnings;
    trace.tokensIn = answers.reduce((sum, answer) => sum + (answer.inputTokens ?? 0), 0);
    trace.tokensOut = answers.reduce((sum, answer) => sum + (answer.outputTokens ?? 0), 0);
    return { kind: 'gemini', answers };
  } catch (error) {
    if (isProxyError(error)) return { kind: 'error', error };
    return { kind: 'error', error: proxyError('upstream', 'The upstream answered with a body that could not be read.') };
  } finally {
    options.context.signal.removeEventListener('abort', cancel);
  }
}

function isProxyError(value: unknown): value is ProxyError {
  return typeof value === 'object' && value !== null && 'kind' in value && 'status' in value && 'message' in value && !(value instanceof Error);
}
