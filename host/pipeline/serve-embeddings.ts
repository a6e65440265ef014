import { CodecError, type UpstreamFamily } from '../codecs/codec-types.js';
import { EMBEDDINGS_UPSTREAM_CODECS, joinEmbeddingAnswers, type GeminiEmbedMethod } from '../codecs/embeddings/index.js';
import type { IrEmbeddingRequest, IrEmbeddingResponse } from '../ir/ir-embeddings.js';
import { PROVIDERS } from '../providers/providers.js';
import { readJsonBody, sendUpstream, type UpstreamResponse } from '../providers/upstream-client.js';
import type { PassThroughBody } from '../providers/upstream-provider.js';
import type { Account } from '../../shared/accounts.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import { admitRequest, proxyFullError } from './admit-request.js';
import { UPSTREAM_ERROR_DECODERS } from './upstream-error-decoders.js';
import { countTextsLocally } from './count-tokens-locally.js';
import { forwardWithFailover } from './forward-with-failover.js';
import type { GenerationContext } from './serve-generation.js';
import { resolveModel } from './resolve-model.js';
import { classifyNetworkFailure } from './upstream-failure.js';

/** What an embeddings route knows: plain data, nothing that writes. */
export interface EmbeddingsCall {
  /** The family whose embeddings API the client speaks: its accounts get the request as sent. */
  family: 'openai' | 'gemini';
  /** The model the client asked for. */
  model: string;
  /** The client's request → IR, for an account of the other family (throws CodecError). */
  decode(): IrEmbeddingRequest;
  /** The IR answer → the client's body. */
  encodeResponse(response: IrEmbeddingResponse, request: IrEmbeddingRequest): unknown;
  /** The client's own request, for an account of its family; `body` rebuilt when the model changes, if the family keeps it in the body. */
  passThrough: PassThroughBody & { geminiMethod?: GeminiEmbedMethod; withModel?(model: string): Record<string, unknown> };
}

export type EmbeddingsResult =
  | { kind: 'error'; error: ProxyError }
  /** An account of the client's family refused the request: its answer, already in the client's format. */
  | { kind: 'rejected'; status: number; contentType: string; body: string }
  /** An account of the client's family answered: its bytes go to the client as they are. */
  | { kind: 'pass-through'; account: Account; response: UpstreamResponse }
  /** An account of the other family answered: its vectors, in the client's format. */
  | { kind: 'translated'; body: unknown };

/** The families that can serve embeddings: those with an embeddings API and a codec for it. */
export const EMBEDDING_FAMILIES = (Object.keys(EMBEDDINGS_UPSTREAM_CODECS) as UpstreamFamily[]).filter((family) => PROVIDERS[family].embeddingsUrl);

/**
 * Serves an embeddings request from the pool, with failover, under the same admission limit as
 * generations; writes nothing. Accounts of a family without an embeddings API (Anthropic) are
 * never picked; when only such accounts serve the model, the client gets a 400 that says so.
 * An account of the client's family gets the client's request as it came (model mapped); the
 * other family's gets it translated, and its answer is translated back with usage (counted
 * locally when that upstream reports none).
 */
export async function serveEmbeddings(deps: ProxyDeps, call: EmbeddingsCall, context: GenerationContext): Promise<EmbeddingsResult> {
  const config = deps.config();
  const { trace, signal } = context;
  const model = resolveModel(config.model_mapping, call.model);
  trace.model = call.model;
  trace.mappedModel = model;
  trace.stream = false;
  const fail = (error: ProxyError): EmbeddingsResult => {
    trace.error = error.kind;
    return { kind: 'error', error };
  };

  if (deps.pool.readiness(model, EMBEDDING_FAMILIES).kind === 'no-account-for-model' && deps.pool.readiness(model).kind !== 'no-account-for-model') {
    return fail(
      proxyError(
        'invalid-request',
        `No account can serve embeddings for model "${model}": the accounts that serve it are Anthropic accounts, and Anthropic has no embeddings API. Add an OpenAI-compatible or Gemini account that serves an embedding model, or map "${call.model}" to one (model_mapping).`,
      ),
    );
  }
  if (!admitRequest(deps, context.onReplyClosed, config.max_concurrent_requests)) return fail(proxyFullError(config.max_concurrent_requests));

  let decoded: IrEmbeddingRequest | undefined;
  /** The request as the answering attempt sent it (undefined: passed through). */
  let attempt: IrEmbeddingRequest | undefined;
  /** The answers of the attempt's calls before its last one. */
  let earlier: IrEmbeddingResponse[] = [];
  const timeouts = { connect_timeout_s: config.connect_timeout_s, request_timeout_s: config.request_timeout_s, stream_idle_timeout_s: config.stream_idle_timeout_s };
  let outcome;
  try {
    outcome = await forwardWithFailover({
      pool: deps.pool,
      model,
      providers: EMBEDDING_FAMILIES,
      signal,
      maxAttempts: config.max_attempts,
      timeouts,
      send: async (account) => {
        trace.account = account.label;
        const provider = PROVIDERS[account.provider];
        const post = (body: string | Buffer, method: GeminiEmbedMethod | undefined) =>
          sendUpstream(deps.upstream, {
            url: provider.embeddingsUrl!(account, model, method),
            method: 'POST',
            headers: provider.headers(account, { stream: false }),
            body,
            signal,
            timeoutMs: config.request_timeout_s * 1000,
            idleTimeoutMs: config.stream_idle_timeout_s * 1000,
          });
        if (account.provider === call.family) {
          attempt = undefined;
          const rewritten = model !== call.model ? call.passThrough.withModel?.(model) : undefined;
          return post(provider.passThroughBody(rewritten ? { body: rewritten } : call.passThrough, model), call.passThrough.geminiMethod);
        }
        decoded ??= call.decode();
        attempt = { ...decoded, warnings: [...decoded.warnings] };
        const codec = EMBEDDINGS_UPSTREAM_CODECS[account.provider]!;
        const calls = codec.encodeRequest(attempt, model);
        // More inputs than one call takes: every call but the last is read here (a refusal is
        // returned for the pool to judge); the last one's answer is the attempt's.
        earlier = [];
        for (const extra of calls.slice(0, -1)) {
          const response = await post(JSON.stringify(extra.body), extra.geminiMethod);
          if (response.statusCode < 200 || response.statusCode >= 300) return response;
          earlier.push(codec.decodeResponse(await readJsonBody(response)));
        }
        const last = calls.at(-1)!;
        return post(JSON.stringify(last.body), last.geminiMethod);
      },
    });
  } catch (error) {
    if (error instanceof CodecError) return fail(proxyError('invalid-request', error.message));
    throw error;
  } finally {
    if (attempt) trace.warnings = attempt.warnings;
  }
  trace.ttfbMs = Math.round((performance.now() - trace.started) * 10) / 10;
  if (outcome.kind === 'error') return fail(outcome.error);
  const account = outcome.account;
  if (outcome.kind === 'rejected') {
    if (!attempt) return outcome;
    return fail(UPSTREAM_ERROR_DECODERS[account.provider](outcome.status, outcome.body));
  }
  if (!attempt) return { kind: 'pass-through', account, response: outcome.response };

  let answer: IrEmbeddingResponse;
  try {
    answer = joinEmbeddingAnswers([...earlier, EMBEDDINGS_UPSTREAM_CODECS[account.provider]!.decodeResponse(await readJsonBody(outcome.response))]);
  } catch (error) {
    if (signal.aborted) return fail(proxyError('invalid-request', 'The client closed the request.', 499));
    const failure = classifyNetworkFailure(error);
    if (failure.kind === 'timeout' || failure.code !== 'network error') {
      deps.pool.markFailure(account.id, failure.kind === 'timeout' ? 'timeout' : 'network-error', 'upstream embeddings answer broke off');
    }
    return fail(proxyError('upstream', 'The upstream answered with an embeddings body that could not be read.'));
  }
  if (answer.inputTokens === undefined) {
    answer.inputTokens = await countTextsLocally(attempt.inputs);
    attempt.warnings.push({ type: 'coerced', feature: 'usage', details: 'the upstream reported no token count: input tokens counted locally (o200k)' });
  }
  trace.tokensIn = answer.inputTokens;
  trace.warnings = [...attempt.warnings, ...answer.warnings];
  return { kind: 'translated', body: call.encodeResponse(answer, attempt) };
}
