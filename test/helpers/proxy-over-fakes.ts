import { afterAll, afterEach, beforeAll } from 'vitest';
import type { NewAccount } from '../../shared/accounts.js';
import { startFakeAnthropicUpstream, type FakeAnthropicUpstream } from '../fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from '../fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { openService } from './running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

export interface ProxyOverFakes {
  openai(): FakeOpenAIUpstream;
  anthropic(): FakeAnthropicUpstream;
  gemini(): FakeGeminiUpstream;
  /** An account on one of the fakes. */
  account: Record<'openai' | 'anthropic' | 'gemini', (label?: string) => NewAccount & { label: string }>;
  /** A running Localgate (auth off) serving from `accounts`; closed after the test. */
  serve(accounts: Array<NewAccount & { label: string }>): Promise<Harness>;
  harness(): Harness;
}

/**
 * One fake upstream per family for a whole describe block (queues and recorded requests reset
 * after each test) and a fresh Localgate per test, registered with vitest's hooks.
 */
export function useProxyOverFakes(): ProxyOverFakes {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  let harness: Harness | undefined;

  beforeAll(async () => {
    [openai, anthropic, gemini] = await Promise.all([startFakeOpenAIUpstream(), startFakeAnthropicUpstream(), startFakeGeminiUpstream()]);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    for (const upstream of [openai, anthropic, gemini]) {
      upstream.queue.length = 0;
      upstream.requests.length = 0;
      upstream.modelListRequests.length = 0;
    }
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });

  return {
    openai: () => openai,
    anthropic: () => anthropic,
    gemini: () => gemini,
    account: {
      openai: (label = 'openai') => ({ provider: 'openai' as const, base_url: openai.baseUrl, api_key: openai.apiKey, label }),
      anthropic: (label = 'anthropic') => ({ provider: 'anthropic' as const, base_url: anthropic.baseUrl, api_key: anthropic.apiKey, label }),
      gemini: (label = 'gemini') => ({ provider: 'gemini' as const, base_url: gemini.baseUrl, api_key: gemini.apiKey, label }),
    },
    async serve(accounts) {
      harness = await openService({ auth_mode: 'off' });
      for (const added of accounts) harness.service.addAccount(added);
      await harness.service.startProxy();
      return harness;
    },
    harness: () => harness!,
  };
}
