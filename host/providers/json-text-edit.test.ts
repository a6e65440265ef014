import { describe, expect, it } from 'vitest';
import { withTopLevelString } from './json-text-edit.js';

/** The edit must equal re-serialising the parsed object with the key changed. */
function expectEdited(text: string, current: string, next: string): string {
  const edited = withTopLevelString(text, 'model', current, next);
  expect(edited).toBeDefined();
  expect(JSON.parse(edited!)).toEqual({ ...JSON.parse(text), model: next });
  return edited!;
}

describe('withTopLevelString', () => {
  it('replaces only the value, leaving every other byte as sent', () => {
    const text = '{"model":"alias","messages":[{"role":"user","content":"hi"}],"max_tokens":12345678901234567890}';
    expect(expectEdited(text, 'alias', 'claude-sonnet-4-5')).toBe(
      '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"max_tokens":12345678901234567890}',
    );
  });

  it('finds the key after a long history, past nested "model" keys and look-alikes inside strings', () => {
    const text = JSON.stringify({
      messages: [
        { role: 'user', content: 'say "model": "x" and {"model":"y"} with \\ and \\" and [brackets}' },
        { role: 'assistant', content: [{ type: 'tool_use', input: { model: 'nested', list: [{ model: 'deeper' }] } }] },
      ],
      tools: [{ name: 't', input_schema: { type: 'object', properties: { model: { type: 'string' } } } }],
      model: 'alias',
      stream: true,
    });
    expectEdited(text, 'alias', 'gpt-4o');
  });

  it('handles pretty-printed JSON and a value with escapes', () => {
    const text = JSON.stringify({ messages: [], model: 'al"ias\\é', temperature: 0.2 }, null, 2);
    expectEdited(text, 'al"ias\\é', 'gpt-4o');
  });

  it('edits the last of duplicate keys, the one JSON.parse keeps', () => {
    const text = '{"model":"first","messages":[],"model":"alias"}';
    expect(expectEdited(text, 'alias', 'gpt-4o')).toBe('{"model":"first","messages":[],"model":"gpt-4o"}');
  });

  it('gives up (the caller re-serialises) when the key is spelled with escapes or the value is not the one parsed', () => {
    expect(withTopLevelString('{"\\u006dodel":"alias","messages":[]}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
    expect(withTopLevelString('{"model":"other","messages":[]}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
    expect(withTopLevelString('{"model":42}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
    expect(withTopLevelString('{"messages":[{"model":"alias"}]}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
  });
});
