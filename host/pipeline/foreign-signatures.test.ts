import { describe, expect, it } from 'vitest';
import { withoutForeignAnthropicThinking, withoutForeignGeminiSignatures } from './foreign-signatures.js';

describe('foreign signatures before a same-family pass-through', () => {
  it('leaves a clean Anthropic body alone (so its bytes pass untouched)', () => {
    const body = { messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'EqQB-real' }, { type: 'text', text: 'x' }] }] };
    expect(withoutForeignAnthropicThinking(body)).toBeUndefined();
  });

  it('drops thinking blocks carrying our wrapped or empty signatures, and nothing else', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'from gemini', signature: 'localgate.gemini.abc' },
            { type: 'thinking', thinking: 'unsigned', signature: '' },
            { type: 'redacted_thinking', data: 'localgate.openai.zzz' },
            { type: 'thinking', thinking: 'real', signature: 'EqQB-real' },
            { type: 'tool_use', id: 't1', name: 'f', input: {} },
          ],
        },
      ],
    };
    const cleaned = withoutForeignAnthropicThinking(body)!;
    expect(cleaned.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'real', signature: 'EqQB-real' }, { type: 'tool_use', id: 't1', name: 'f', input: {} }] },
    ]);
    expect(body.messages[1]!.content).toHaveLength(5); // input untouched
  });

  it("given the client's JSON text, still finds what the text holds, escaped or not", () => {
    const anthropic = { messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'localgate.gemini.abc' }, { type: 'text', text: 'x' }] }] };
    const unsigned = { messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: '' }, { type: 'text', text: 'x' }] }] };
    const gemini = { contents: [{ role: 'model', parts: [{ text: 'x', thoughtSignature: 'localgate.anthropic.sig' }] }] };
    for (const body of [anthropic, unsigned]) {
      expect(withoutForeignAnthropicThinking(body, JSON.stringify(body))?.messages).toEqual([{ role: 'assistant', content: [{ type: 'text', text: 'x' }] }]);
    }
    // `\u002e` is a dot and `\u0074` a "t": the text must not hide them from the check.
    const escaped = JSON.stringify(anthropic).replace('localgate.', 'localgate\\u002e');
    expect(JSON.parse(escaped)).toEqual(anthropic);
    expect(withoutForeignAnthropicThinking(anthropic, escaped)).toBeDefined();
    const escapedType = JSON.stringify(unsigned).replace('"thinking"', '"\\u0074hinking"');
    expect(JSON.parse(escapedType)).toEqual(unsigned);
    expect(withoutForeignAnthropicThinking(unsigned, escapedType)).toBeDefined();
    expect(withoutForeignGeminiSignatures(gemini, JSON.stringify(gemini).replace('localgate.', 'localgate\\u002e'))).toBeDefined();
  });

  it("given the client's JSON text without thinking blocks or wrapped values, answers untouched", () => {
    const anthropic = { messages: [{ role: 'assistant', content: [{ type: 'text', text: 'x' }] }] };
    const gemini = { contents: [{ role: 'model', parts: [{ text: 'x', thoughtSignature: 'real' }] }] };
    expect(withoutForeignAnthropicThinking(anthropic, JSON.stringify(anthropic))).toBeUndefined();
    expect(withoutForeignGeminiSignatures(gemini, JSON.stringify(gemini))).toBeUndefined();
  });

  it('replaces our wrapped Gemini signatures: the skip value on calls, nothing elsewhere', () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        {
          role: 'model',
          parts: [
            { text: '', thought: true, thoughtSignature: 'localgate.anthropic.sig' },
            { text: 'answer', thoughtSignature: 'localgate.openai.x' },
            { functionCall: { name: 'f', args: {} }, thoughtSignature: 'localgate.anthropic.sig2' },
            { functionCall: { name: 'g', args: {} }, thoughtSignature: 'real-google-sig' },
          ],
        },
      ],
    };
    const cleaned = withoutForeignGeminiSignatures(body)!;
    expect(cleaned.contents).toEqual([
      { role: 'user', parts: [{ text: 'q' }] },
      {
        role: 'model',
        parts: [
          { text: 'answer' },
          { functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
          { functionCall: { name: 'g', args: {} }, thoughtSignature: 'real-google-sig' },
        ],
      },
    ]);
    expect(withoutForeignGeminiSignatures({ contents: [{ role: 'model', parts: [{ text: 'x', thoughtSignature: 'real' }] }] })).toBeUndefined();
  });
});
