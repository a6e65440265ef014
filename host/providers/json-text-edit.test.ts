import { describe, expect, it } from 'vitest';
import { withTopLevelString } from './json-text-edit.js';

/** The edit must equal re-serialising the parsed object with the key changed. */
function expectEdited(text: string, current: string, next: string): string {
  const edited = withTopLevelString(text, 'model', current, next);
  expect(typeof edited).toBe('string');
  expect(JSON.parse(edited as string)).toEqual({ ...JSON.parse(text), model: next });
  // The same edit made in the text's bytes gives the same bytes.
  const inBytes = withTopLevelString(text, 'model', current, next, Buffer.from(text));
  expect(Buffer.isBuffer(inBytes)).toBe(true);
  expect((inBytes as Buffer).equals(Buffer.from(edited as string))).toBe(true);
  return edited as string;
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

  it('edits the bytes past multibyte text, and falls back to the text when the bytes do not decode to it', () => {
    const text = JSON.stringify({ system: 'héllo wörld — 日本語 🎉', model: 'alias', messages: [] });
    expectEdited(text, 'alias', 'gpt-4o');
    // Invalid UTF-8 before the value: the decoded text has U+FFFD where the bytes have 0xff.
    const bytes = Buffer.concat([Buffer.from('{"system":"a'), Buffer.from([0xff]), Buffer.from('b","model":"alias","messages":[]}')]);
    const decoded = bytes.toString('utf8');
    const edited = withTopLevelString(decoded, 'model', 'alias', 'gpt-4o', bytes);
    expect(typeof edited).toBe('string');
    expect(JSON.parse(edited as string)).toEqual({ system: 'a\ufffdb', model: 'gpt-4o', messages: [] });
  });

  it('gives up (the caller re-serialises) when the key is spelled with escapes or the value is not the one parsed', () => {
    expect(withTopLevelString('{"\\u006dodel":"alias","messages":[]}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
    expect(withTopLevelString('{"model":"other","messages":[]}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
    expect(withTopLevelString('{"model":42}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
    expect(withTopLevelString('{"messages":[{"model":"alias"}]}', 'model', 'alias', 'gpt-4o')).toBeUndefined();
  });
});
