import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamFamily } from '../../host/codecs/codec-types.js';
import { startFakeAnthropicUpstream } from '../fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream } from '../fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import type { ScriptedResponse } from '../fakes/scripted-response.js';
import { openService } from '../helpers/running-service.js';
import type { ClientWire } from './corpus/client-meaning.js';
import { CORPUS_MODEL } from './corpus/client-requests.js';
import { STREAM_CORPUS, expectedMeaning, wireBytes, type StreamFixture, type WireForm } from './corpus/index.js';
import { streamThroughSdk } from './corpus/sdk-clients.js';

/**
 * Every provider stream shape in the corpus × every client protocol, through the proxy, read
 * by the official SDKs: the client gets the whole answer (text, thinking, tool calls with their
 * arguments, finish reason, usage) and its stream ends within a second of the upstream's end.
 * `stream_idle_timeout_s` is 120 so that a relay that misses the upstream's end shows as a hang
 * here, not as an idle-timeout error. One proxy (one account) per upstream family, reused.
 * Then the same shapes cut at random bytes, cut after their last event, and cut halfway.
 */

/** A hang fails the test after this long (instead of vitest's 30 s default). */
const HANG_MS = 5_000;

const CLIENT_WIRES: ClientWire[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini-sse', 'gemini-json-array'];

interface FamilyProxy {
  origin: string;
  /** Queues the next upstream answer. */
  queue: ScriptedResponse[];
  /** Path (with query) of the last generation request the upstream got. */
  lastPath(): string;
  /** The pool's verdict on the family's one account, and a reset of it. */
  accountState(): string;
  resetAccount(): void;
  close(): Promise<void>;
}

async function startFamilyProxy(family: UpstreamFamily): Promise<FamilyProxy> {
  const models = [CORPUS_MODEL];
  const fake = family === 'gemini' ? await startFakeGeminiUpstream({ models }) : family === 'openai' ? await startFakeOpenAIUpstream({ models }) : await startFakeAnthropicUpstream({ models });
  const harness = await openService({ auth_mode: 'off', stream_idle_timeout_s: 120 });
  harness.service.addAccount({ provider: family, base_url: fake.baseUrl, api_key: fake.apiKey, label: `${family}-corpus` });
  await harness.service.startProxy();
  return {
    origin: harness.origin(),
    queue: fake.queue as ScriptedResponse[],
    lastPath: () => fake.requests.at(-1)?.path ?? '',
    accountState: () => harness.service.listAccounts()[0]!.status.state,
    resetAccount: () => void harness.service.resetAccount(harness.service.listAccounts()[0]!.id),
    close: async () => {
      await harness.close();
      await fake.close();
    },
  };
}

/** Gemini answers in the form asked: only a Gemini JSON-array client passed through to Gemini asks without `alt=sse`. */
function formFor(fixture: StreamFixture, wire: ClientWire): WireForm {
  return fixture.family === 'gemini' && wire === 'gemini-json-array' ? 'json-array' : 'sse';
}

const proxies = {} as Record<UpstreamFamily, FamilyProxy>;

beforeAll(async () => {
  for (const family of ['gemini', 'openai', 'anthropic'] as const) proxies[family] = await startFamilyProxy(family);
});
afterAll(async () => {
  for (const proxy of Object.values(proxies)) await proxy.close();
});

/** Serves `chunks` for the next request and streams it through the SDK; returns the meaning and how long after the upstream's end the client was done. */
async function serveAndStream(fixture: StreamFixture, wire: ClientWire, chunks: Array<string | Buffer>, delayMs = 0, abortAtEnd = false) {
  const proxy = proxies[fixture.family];
  const form = formFor(fixture, wire);
  const { status, headers } = fixture.wire(form);
  let upstreamEnded: number | undefined;
  proxy.queue.push({ kind: 'script', status, headers, chunks, delayMs, abortAtEnd, onEnd: () => (upstreamEnded = performance.now()) });
  const meaning = await streamThroughSdk(wire, proxy.origin);
  const clientDone = performance.now();
  // The fake answered the form the proxy asked for (a mismatch would make the fixture unrealistic).
  if (fixture.family === 'gemini') expect(proxy.lastPath().includes('alt=sse')).toBe(form === 'sse');
  expect(upstreamEnded, 'the upstream finished its answer').toBeDefined();
  return { meaning, lagMs: clientDone - upstreamEnded! };
}

describe('every provider stream shape reaches every client SDK whole, and ends with the upstream', () => {
  for (const wire of CLIENT_WIRES) {
    for (const fixture of STREAM_CORPUS) {
      it(`${fixture.name} → ${wire}`, async () => {
        const { meaning, lagMs } = await serveAndStream(fixture, wire, fixture.wire(formFor(fixture, wire)).chunks);
        expect(meaning).toEqual(expectedMeaning(fixture));
        expect(lagMs).toBeLessThan(1_000);
      }, HANG_MS);
    }
  }
});

describe('end to end: a provider stream cut at random bytes, each piece written on its own', () => {
  it('means the same to the SDK and still ends with the upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STREAM_CORPUS),
        fc.constantFrom(...CLIENT_WIRES),
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 10 }),
        async (fixture, wire, fractions) => {
          const bytes = wireBytes(fixture, formFor(fixture, wire));
          const cuts = [...new Set(fractions.map((fraction) => Math.floor(fraction * (bytes.length - 1)) + 1))].sort((a, b) => a - b);
          const pieces = [0, ...cuts].map((cut, index, all) => bytes.subarray(cut, all[index + 1] ?? bytes.length));
          const { meaning, lagMs } = await serveAndStream(fixture, wire, pieces, 1);
          expect(meaning).toEqual(expectedMeaning(fixture));
          expect(lagMs).toBeLessThan(1_000);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/**
 * Servers (or the proxies in front of them) sometimes close the connection after the last event
 * instead of ending the response: undici then reports "other side closed" / "terminated" although
 * the whole answer arrived. The client must get that answer as it is, with no error appended,
 * and the account must not rest as if the stream had broken.
 */
describe('an upstream that drops the connection right after its complete answer', () => {
  for (const wire of CLIENT_WIRES) {
    for (const fixture of STREAM_CORPUS) {
      it(`${fixture.name} → ${wire}`, async () => {
        const proxy = proxies[fixture.family];
        try {
          const { meaning, lagMs } = await serveAndStream(fixture, wire, fixture.wire(formFor(fixture, wire)).chunks, 0, true);
          expect(meaning).toEqual(expectedMeaning(fixture));
          expect(lagMs).toBeLessThan(1_000);
          expect(proxy.accountState()).toBe('ready');
        } finally {
          proxy.resetAccount();
        }
      }, HANG_MS);
    }
  }
});

/** The other side of the judgement above: a connection dropped halfway through (before the finish arrived) is a broken stream, and every client hears so. */
describe('an upstream that drops the connection halfway through its answer', () => {
  for (const wire of CLIENT_WIRES) {
    for (const fixture of STREAM_CORPUS) {
      it(`${fixture.name} → ${wire}: the SDK raises an error`, async () => {
        const { status, headers } = fixture.wire(formFor(fixture, wire));
        const bytes = wireBytes(fixture, formFor(fixture, wire));
        const proxy = proxies[fixture.family];
        proxy.queue.push({ kind: 'script', status, headers, chunks: [bytes.subarray(0, Math.floor(bytes.length / 2))], abortAtEnd: true });
        try {
          await expect(streamThroughSdk(wire, proxy.origin)).rejects.toThrow();
        } finally {
          proxy.resetAccount();
        }
      }, HANG_MS);
    }
  }
});
