import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionKeyFor } from './session-key.js';

const hash = (text: string) => `text:${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;

describe('sessionKeyFor', () => {
  const chat = { model: 'm', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'Plan a trip' }] };

  it('an explicit header wins over everything in the body', () => {
    const body = { ...chat, user: 'u1', prompt_cache_key: 'c1' };
    expect(sessionKeyFor('openai-chat', body, { 'x-localgate-session': 'conv-7', 'x-session-id': 'other' })).toBe('header:conv-7');
    expect(sessionKeyFor('openai-chat', body, { 'x-session-id': ['conv-8', 'x'] })).toBe('header:conv-8');
    expect(sessionKeyFor('gemini', {}, { 'x-session-id': 'g' })).toBe('header:g');
    // Blank headers are no key.
    expect(sessionKeyFor('openai-chat', body, { 'x-localgate-session': '  ' })).toBe('cache:c1');
  });

  it('Anthropic: metadata.user_id, else the first user message', () => {
    const body = { model: 'claude', max_tokens: 10, metadata: { user_id: 'user_abc_session_123' }, messages: [{ role: 'user', content: 'Hi' }] };
    expect(sessionKeyFor('anthropic', body, {})).toBe('user:user_abc_session_123');
    const blocks = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }, { type: 'image', source: {} }, { type: 'text', text: 'there' }] }] };
    expect(sessionKeyFor('anthropic', blocks, {})).toBe(hash('Hello\nthere'));
    // user_id is Anthropic's field: an OpenAI body carrying `metadata` is not read that way.
    expect(sessionKeyFor('openai-chat', { ...chat, metadata: { user_id: 'x' } }, {})).toBe(hash('Plan a trip'));
  });

  it('OpenAI Chat and Responses: prompt_cache_key, else user, else the first user message', () => {
    expect(sessionKeyFor('openai-chat', { ...chat, user: 'u1', prompt_cache_key: 'c1' }, {})).toBe('cache:c1');
    expect(sessionKeyFor('openai-chat', { ...chat, user: 'u1' }, {})).toBe('user:u1');
    expect(sessionKeyFor('openai-chat', chat, {})).toBe(hash('Plan a trip'));
    expect(sessionKeyFor('openai-chat', { messages: [{ role: 'user', content: [{ type: 'text', text: 'A' }, { type: 'image_url', image_url: { url: 'x' } }] }] }, {})).toBe(hash('A'));
    expect(sessionKeyFor('openai-responses', { input: 'x', prompt_cache_key: 'codex-conv' }, {})).toBe('cache:codex-conv');
    expect(sessionKeyFor('openai-responses', { input: 'Write a poem' }, {})).toBe(hash('Write a poem'));
    const items = {
      instructions: 'sys',
      input: [
        { type: 'message', role: 'developer', content: 'rules' },
        { type: 'function_call_output', call_id: 'c', output: 'ignored' },
        { role: 'user', content: [{ type: 'input_text', text: 'Fix the bug' }] },
      ],
    };
    expect(sessionKeyFor('openai-responses', items, {})).toBe(hash('Fix the bug'));
  });

  it('Gemini: the first user content', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'Summarise' }, { inlineData: { mimeType: 'image/png', data: '' } }] }, { role: 'model', parts: [{ text: 'ok' }] }] };
    expect(sessionKeyFor('gemini', body, {})).toBe(hash('Summarise'));
    expect(sessionKeyFor('gemini', { contents: [{ parts: [{ text: 'no role' }] }] }, {})).toBe(hash('no role'));
  });

  it('later turns of a conversation keep the key; another conversation gets another', () => {
    const turn1 = { messages: [{ role: 'user', content: 'Plan a trip' }] };
    const turn2 = { messages: [...turn1.messages, { role: 'assistant', content: 'Where to?' }, { role: 'user', content: 'Rome' }] };
    expect(sessionKeyFor('openai-chat', turn2, {})).toBe(sessionKeyFor('openai-chat', turn1, {}));
    expect(sessionKeyFor('openai-chat', { messages: [{ role: 'user', content: 'Plan a party' }] }, {})).not.toBe(sessionKeyFor('openai-chat', turn1, {}));
  });

  it('no key when the request names none', () => {
    expect(sessionKeyFor('openai-chat', { messages: [{ role: 'system', content: 'only system' }] }, {})).toBeUndefined();
    expect(sessionKeyFor('openai-chat', { messages: [{ role: 'user', content: '' }] }, {})).toBeUndefined();
    expect(sessionKeyFor('anthropic', { messages: 'not a list' }, {})).toBeUndefined();
    expect(sessionKeyFor('gemini', undefined, {})).toBeUndefined();
    expect(sessionKeyFor('openai-responses', { input: [{ type: 'function_call_output', output: 'x' }] }, {})).toBeUndefined();
  });

  it('hashes a long explicit key so a pin stays small', () => {
    const long = 'x'.repeat(5_000);
    const key = sessionKeyFor('openai-chat', { user: long }, {});
    expect(key).toMatch(/^user#[0-9a-f]{16}$/);
    expect(sessionKeyFor('openai-chat', { user: long }, {})).toBe(key);
  });
});
