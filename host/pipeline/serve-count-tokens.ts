import type { Account } from '../../shared/accounts.js';
import { CodecError, type DecodeContext, type UpstreamFamily } from '../codecs/codec-types.js';
import type { IrRequest } from '../ir/ir-request.js';
import { PROVIDERS } from '../providers/providers.js';
import { bareGeminiModel } from '../providers/gemini-provider.js';
import { readJsonBody, sendUpstream } from '../providers/upstream-client.js';
import type { PassThroughBody } from '../providers/upstream-provider.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import type { RequestTrace } from '../core/request-trace.js';
import { loadCodecs, loadedCodecs } from './lazy-codecs.js';
import { countTokensLocally } from './count-tokens-locally.js';
import { resolveModel } from './resolve-model.js';

const COUNT_TIMEOUT_MS = 15_000;

export interface CountTokens {
  /** Its protocol's codec decodes it (a count is always decoded, so it loads the translation core). */
  protocol: 'anthropic' | 'gemini';
  model: string;
  body: unknown;
  decodeContext: DecodeContext;
  /** The client's own count request, for an account of its own family (its provider rewrites the model). */
  passThrough: PassThroughBody;
}

/** A count, or why there is none (the request could not be decoded). */
export type CountResult = { kind: 'count'; tokens: number } | { kind: 'error'; error: ProxyError };

/** The fields an Anthropic count_tokens request accepts (it rejects generation-only ones). */
const ANTHROPIC_COUNT_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking'];

/** An upstream count request of another family, from the IR, and how to read its answer. */
function translatedCount(family: UpstreamFamily, request: IrRequest, model: string): { body: object; read(body: unknown): number | undefined } | undefined {
  const encoded = loadedCodecs().UPSTREAM_CODECS[family].encodeRequest(request, model);
  if (family === 'anthropic') {
    const body = Object.fromEntries(Object.entries(encoded).filter(([key]) => ANTHROPIC_COUNT_FIELDS.includes(key)));
    return { body, read: (answer) => (answer as { input_tokens?: number }).input_tokens };
  }
  if (family === 'gemini') {
    return {
      body: { generateContentRequest: { model: `models/${bareGeminiModel(model)}`, ...encoded } },
      read: (answer) => (answer as { totalTokens?: number }).totalTokens,
    };
  }
  return undefined;
}

/**
 * Anthropic `count_tokens` and Gemini `countTokens`: asked of the serving account's own counting
 * endpoint when its family has one (same family: the client's request as is; the other family:
 * translated), otherwise counted locally with a real tokenizer. Counting never fails a client
 * for an upstream hiccup: it falls back to the local count.
 */
export async function serveCountTokens(deps: ProxyDeps, count: CountTokens, trace: RequestTrace): Promise<CountResult> {
  const model = resolveModel(deps.config().model_mapping, count.model);
  trace.model = count.model;
  trace.mappedModel = model;
  const codecs = await loadCodecs();
  let ir: IrRequest;
  try {
    ir = codecs.CLIENT_CODECS[count.protocol].decodeRequest(count.body, count.decodeContext);
  } catch (error) {
    if (error instanceof CodecError) return { kind: 'error', error: proxyError('invalid-request', error.message) };
    throw error;
  }
  const pick = deps.pool.pick(model);
  if (pick.kind === 'account') {
    trace.account = pick.account.label;
    const upstream = await countUpstream(deps, pick.account, count, ir, model).catch(() => undefined);
    if (upstream !== undefined) return { kind: 'count', tokens: upstream };
  }
  return { kind: 'count', tokens: await countTokensLocally(ir) };
}

async function countUpstream(deps: ProxyDeps, account: Account, count: CountTokens, ir: IrRequest, model: string): Promise<number | undefined> {
  const provider = PROVIDERS[account.provider];
  if (!provider.countTokensUrl) return undefined;
  const same = account.provider === count.protocol;
  const translated = same ? undefined : translatedCount(account.provider, ir, model);
  if (!same && !translated) return undefined;
  const response = await sendUpstream(deps.upstream, {
    url: provider.countTokensUrl(account, model),
    method: 'POST',
    headers: provider.headers(account, { stream: false }),
    body: same ? provider.passThroughBody(count.passThrough, model) : JSON.stringify(translated!.body),
    timeoutMs: COUNT_TIMEOUT_MS,
  });
  if (response.statusCode !== 200) {
    await response.body.dump();
    return undefined;
  }
  const answer = await readJsonBody(response);
  const tokens = same
    ? count.protocol === 'anthropic'
      ? (answer as { input_tokens?: number }).input_tokens
      : (answer as { totalTokens?: number }).totalTokens
    : translated!.read(answer);
  return typeof tokens === 'number' ? tokens : undefined;
}
