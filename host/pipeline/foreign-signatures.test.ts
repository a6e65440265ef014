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
