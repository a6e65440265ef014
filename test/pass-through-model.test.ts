import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, type FakeAnthropicUpstream } from './fakes/fake-anthropic-upstream.js';
import { openService } from './helpers/running-service.js';

/**
 * A mapped model on a same-family Anthropic account: the upstream gets the mapped name, the
 * client sees the name it asked for. Claude Code drops the thinking of an answer that names
 * another model, and Anthropic then refuses its next tool turn ("Expected `thinking`…").
 */
describe('Anthropic pass-through with model mapping', () => {
  let anthropic: FakeAnthropicUpstream;
  let harness: Awaited<ReturnType<typeof openService>>;
  beforeAll(async () => {
    anthropic = await startFakeAnthropicUpstream();
    harness = await openService({ auth_mode: 'off', model_mapping: { 'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929' } });
    harness.service.addAccount({ provider: 'anthropic', base_url: anthropic.baseUrl, api_key: anthropic.apiKey, label: 'anthropic' });
    await harness.service.startProxy();
  });
  afterAll(async () => {
    await harness.close();
    await anthropic.close();
  });

  it('streams the answer under the client’s model name, and sends the mapped one upstream', async () => {
    const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'sk-ant-client', maxRetries: 0 });
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] });
    let started = '';
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') started = event.message.model;
    });
    const message = await stream.finalMessage();
    expect(anthropic.requests.at(-1)!.body.model).toBe('claude-sonnet-4-5-20250929');
    expect(started).toBe('claude-sonnet-4-5');
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(message.content.length).toBeGreaterThan(0);
  });
});
