import { CodecError, type ClientCodec, type ClientProtocolId, type DecodeContext, type UpstreamCodec, type UpstreamFamily } from '../codecs/codec-types.js';
import type { IrRequest } from '../ir/ir-request.js';
import { PROVIDERS } from '../providers/providers.js';
import { isEventStream, sendUpstream, type UpstreamResponse } from '../providers/upstream-client.js';
import type { PassThroughBody, StreamForm } from '../providers/upstream-provider.js';
import type { Account } from '../../shared/accounts.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import type { RequestTrace } from '../core/request-trace.js';
import type { CancelSignal } from '../core/cancel-signal.js';
import { admitRequest, proxyFullError } from './admit-request.js';
import { isMissingEndpoint, MissingEndpoints } from './missing-endpoints.js';
import { loadCodecs, loadedCodecs } from './lazy-codecs.js';
import { UPSTREAM_ERROR_DECODERS } from './upstream-error-decoders.js';
import { forwardWithFailover, timeoutMessage, type ForwardOutcome, type StreamFailure } from './forward-with-failover.js';
import { peekFirstEvent } from './peek-first-event.js';
import { classifyNetworkFailure } from './upstream-failure.js';
import { sessionKeyFor } from '../pool/session-key.js';
import { matchPattern, resolveModel } from './resolve-model.js';

/** What a client route knows about one generation request: plain data, nothing that writes. */
export interface Generation {
  protocol: ClientProtocolId;
  /**
   * The client's codec when it is not its protocol's own (the Responses store's). Otherwise the
   * protocol's, from the translation core, which is loaded only if the request is translated.
   */
  codec?: ClientCodec;
  /** The model the client asked for. */
  model: string;
  stream: boolean;
  /** The client's body as parsed, for the codec to decode. */
  body: unknown;
  decodeContext: DecodeContext;
  /**
   * The upstream family that speaks the client's protocol, and the client's own request for it
   * (its provider rewrites only the model). Absent when no family does (OpenAI Responses).
   */
  passThrough?: PassThroughBody & {
    family: UpstreamFamily;
    /** The stream form the client asked for, asked of a same-family upstream as is. */
    streamForm?: StreamForm;
    /**
     * The family's endpoint for the client's request when it is not the generation endpoint
     * (legacy completions). An account without it (404/405, or no such URL) is asked the
     * translated request instead, at its generation endpoint.
     */
    endpoint?: 'legacy-completions';
  };
}

/** An upstream answer the client gets; the rest of its body is still unread. */
interface Served {
  account: Account;
  response: UpstreamResponse;
  /** Bytes read while peeking at the first event: written first. */
  head: readonly Buffer[];
  /** The body already ended while it was peeked. */
  ended: boolean;
  /** The upstream broke off after the client got bytes: rests the account, returns what the client learns. */
  onBroken(cause: unknown): ProxyError;
  /**
   * A stream committed at its first event (an SSE answer): `confirm` once content reached the
   * client; before that, `failover` reports a failure and gives the next attempt's result for the
   * same client stream (undefined: the failure is the answer itself, or the client is gone).
   * Absent: the answer is the client's for good.
   */
  committed?: {
    confirm(): void;
    failover(failure: StreamFailure): Promise<GenerationResult> | undefined;
  };
}

/** What the pipeline decided, for the proxy layer to write to the client. */
export type GenerationResult =
  /** Nothing served the request (or it was invalid): the proxy's own error. */
  | { kind: 'error'; error: ProxyError }
  /** A same-family upstream refused the request itself: its answer, in the client's protocol already. */
  | { kind: 'rejected'; status: number; contentType: string; body: string }
  /** A same-family upstream answered: its bytes go to the client as they come. */
  | ({ kind: 'success'; mode: 'pass-through' } & Served)
  /**
   * An upstream of another family answered: decode with `upstream`, encode with the client's
   * codec for `request` (whose `warnings` are this attempt's, and collect what encoding adds).
   */
  | ({ kind: 'success'; mode: 'translated'; upstream: UpstreamCodec; request: IrRequest } & Served);

/** What the proxy layer gives the pipeline along with the request. */
export interface GenerationContext {
  trace: RequestTrace;
  /** Fires when the client goes away: the upstream request is cancelled. */
  signal: CancelSignal;
  /** Calls `listener` once the reply to the client is over (written or abandoned). */
  onReplyClosed(listener: () => void): void;
}

/** The codec for the generation's client; only once the translation core is loaded (a translated attempt loads it). */
export function clientCodecOf(generation: Generation): ClientCodec {
  return generation.codec ?? loadedCodecs().CLIENT_CODECS[generation.protocol];
}

/** Per proxy: accounts known to lack an optional endpoint. */
const missingEndpoints = new WeakMap<ProxyDeps, MissingEndpoints>();

function missingEndpointsOf(deps: ProxyDeps): MissingEndpoints {
  let known = missingEndpoints.get(deps);
  if (!known) missingEndpoints.set(deps, (known = new MissingEndpoints()));
  return known;
}

/** Where a same-family account gets the client's request; undefined = it has no such endpoint. */
function passThroughUrl(deps: ProxyDeps, account: Account, same: NonNullable<Generation['passThrough']>, model: string, stream: boolean): URL | undefined {
  const provider = PROVIDERS[account.provider];
  if (!same.endpoint) return provider.generateUrl(account, model, stream, same.streamForm);
  if (missingEndpointsOf(deps).has(account.id, same.endpoint, model)) return undefined;
  return provider.legacyCompletionsUrl?.(account);
}

/**
 * Anthropic needs an output limit; when the client gave none, the user's `default_max_tokens`
 * for the model applies (the codec's per-model table is the fallback).
 */
function withConfiguredLimit(request: IrRequest, family: UpstreamFamily, model: string, limits: Readonly<Record<string, number>>): IrRequest {
  if (family !== 'anthropic' || request.sampling.maxOutputTokens !== undefined) return request;
  const limit = matchPattern(limits, model);
  return limit === undefined ? request : { ...request, sampling: { ...request.sampling, maxOutputTokens: limit } };
}

/**
 * One attempt's view of the decoded request. The decoded IR is shared by every attempt, and an
 * encoder records what it drops in `request.warnings`: each attempt gets its own list (the
 * decoder's warnings, then the encoder's), so a failed attempt on one family leaves nothing on
 * the next.
 */
function attemptView(request: IrRequest): IrRequest {
  return { ...request, warnings: [...request.warnings] };
}

/**
 * Serves one generation request from the pool and says how it went; writes nothing. The model is
 * mapped, accounts are tried with failover, and each attempt either passes the client's request
 * through (same family: only the model rewritten, by the provider, so signatures, cache_control,
 * unknown fields and betas survive) or goes through the translation core (decoded once, lazily,
 * only if an account of another family is picked). A streamed answer is read up to its first
 * event before it is returned, so an error sent as that event still fails over with nothing
 * sent; after that, until its first content, the stream's relay fails over through `committed`.
 *
 * The trace gets the model, account and the warnings of the attempt that is answered (none for a
 * pass-through: the client's request went as it was).
 */
export async function serveGeneration(deps: ProxyDeps, generation: Generation, context: GenerationContext): Promise<GenerationResult> {
  const config = deps.config();
  const { trace, signal } = context;
  const model = resolveModel(config.model_mapping, generation.model);
  trace.model = generation.model;
  trace.mappedModel = model;
  trace.stream = generation.stream;

  if (!admitRequest(deps, context.onReplyClosed, config.max_concurrent_requests)) {
    trace.error = 'rate-limit';
    return { kind: 'error', error: proxyFullError(config.max_concurrent_requests) };
  }

  let decoded: IrRequest | undefined;
  // The first translated attempt loads the translation core; a pass-through never waits for it.
  const ir = async (): Promise<IrRequest> => {
    if (decoded) return decoded;
    await loadCodecs();
    decoded = clientCodecOf(generation).decodeRequest(generation.body, generation.decodeContext);
    // Signatures the client dropped from its history, put back before any upstream sees it.
    deps.signatures.restore(decoded);
    return decoded;
  };
  const invalid = (error: CodecError): GenerationResult => ({ kind: 'error', error: proxyError('invalid-request', error.message) });
  // A client that speaks no upstream's protocol is always translated: reject bad input up front.
  if (!generation.passThrough) {
    try {
      await ir();
    } catch (error) {
      if (error instanceof CodecError) return invalid(error);
      throw error;
    }
  }

  const passThrough = generation.passThrough;
  const timeouts = { connect_timeout_s: config.connect_timeout_s, request_timeout_s: config.request_timeout_s, stream_idle_timeout_s: config.stream_idle_timeout_s };
  /** The last attempt's view of the request when it was translated; undefined for a pass-through. */
  let attempt: IrRequest | undefined;
  /** The pass-through body, built once: every same-family attempt sends the same text (same family, same model). */
  let passThroughText: string | Buffer | undefined;
  const toResult = (outcome: ForwardOutcome): GenerationResult => {
    // The same list the client's encoders add to while the answer is written.
    if (attempt) trace.warnings = attempt.warnings;
    if (outcome.kind === 'error') {
      trace.error = outcome.error.kind;
      return outcome;
    }
    const account = outcome.account;
    const family = account.provider;
    if (outcome.kind === 'rejected') {
      if (!attempt) return outcome;
      return { kind: 'error', error: UPSTREAM_ERROR_DECODERS[family](outcome.status, outcome.body) };
    }
    const onBroken = (cause: unknown): ProxyError => {
      const failure = classifyNetworkFailure(cause);
      if (failure.kind === 'timeout') {
        deps.pool.markFailure(account.id, 'timeout', `upstream timed out (${failure.setting})`);
        return proxyError('timeout', timeoutMessage(model, failure.setting, timeouts));
      }
      deps.pool.markFailure(account.id, 'network-error', `upstream stream broke off (${failure.code})`);
      return proxyError('upstream', 'The upstream stream broke off before it finished.');
    };
    const served: Served = { account, response: outcome.response, head: outcome.head, ended: outcome.ended, onBroken };
    const committed = outcome.committed;
    if (committed) {
      served.committed = {
        confirm: committed.confirm,
        failover: (failure) => committed.failover(failure)?.then(toResult, (error: unknown) => {
          if (error instanceof CodecError) return invalid(error);
          throw error;
        }),
      };
    }
    if (!attempt) {
      const restore = PROVIDERS[family].streamHeadWithClientModel;
      if (restore && generation.stream && model !== generation.model) served.head = restore(served.head, model, generation.model);
      return { kind: 'success', mode: 'pass-through', ...served };
    }
    return { kind: 'success', mode: 'translated', upstream: loadedCodecs().UPSTREAM_CODECS[family], request: attempt, ...served };
  };

  let outcome;
  try {
    outcome = await forwardWithFailover({
      pool: deps.pool,
      model,
      providers: undefined,
      signal,
      maxAttempts: config.max_attempts,
      sessionKey: config.scheduling === 'sticky' ? sessionKeyFor(generation.protocol, generation.body, generation.decodeContext.headers) : undefined,
      timeouts,
      send: async (account) => {
        trace.account = account.label;
        const provider = PROVIDERS[account.provider];
        const upstreamRequest = { method: 'POST' as const, signal, timeoutMs: config.request_timeout_s * 1000, idleTimeoutMs: config.stream_idle_timeout_s * 1000 };
        if (passThrough?.family === account.provider) {
          const url = passThroughUrl(deps, account, passThrough, model, generation.stream);
          if (url) {
            attempt = undefined;
            const response = await sendUpstream(deps.upstream, {
              ...upstreamRequest,
              url,
              headers: provider.headers(account, { stream: generation.stream, client: generation.decodeContext.headers }),
              body: (passThroughText ??= provider.passThroughBody(passThrough, model)),
            });
            if (!passThrough.endpoint || !isMissingEndpoint(response.statusCode)) return response;
            // No such endpoint on this server: the translated request goes to its generation endpoint.
            await response.body.dump();
            missingEndpointsOf(deps).add(account.id, passThrough.endpoint, model);
          }
        }
        attempt = attemptView(await ir());
        return sendUpstream(deps.upstream, {
          ...upstreamRequest,
          url: provider.generateUrl(account, model, generation.stream),
          headers: provider.headers(account, { stream: generation.stream }),
          body: JSON.stringify(loadedCodecs().UPSTREAM_CODECS[account.provider].encodeRequest(withConfiguredLimit(attempt, account.provider, model, config.default_max_tokens), model)),
        });
      },
      // Only SSE is peeked (every translated stream is asked as SSE; Gemini's JSON-array form passes as is).
      peek: (account, response, timeoutMs) =>
        generation.stream && isEventStream(response)
          ? peekFirstEvent(response.body, account.provider, timeoutMs)
          : undefined,
    });
  } catch (error) {
    if (attempt) trace.warnings = attempt.warnings;
    if (error instanceof CodecError) return invalid(error);
    throw error;
  }
  trace.ttfbMs = Math.round((performance.now() - trace.started) * 10) / 10;
  return toResult(outcome);
}
