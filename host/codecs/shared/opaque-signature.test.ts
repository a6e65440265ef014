import { describe, expect, it } from 'vitest';
import type { IrOpaque, IrPart } from '../../ir/ir-part.js';
import { attachCallSignature, isWrappedOpaque, unwrapOpaque, wrapOpaque, wrapThinking, type OpaqueRole } from './opaque-signature.js';

describe('opaque signatures (one scheme for every client protocol)', () => {
  it('hands a family its own reasoning signatures verbatim and wraps everything else reversibly', () => {
    expect(wrapOpaque({ family: 'openai', value: 'gAAAAB' }, 'reasoning', 'openai')).toBe('gAAAAB');
    expect(wrapOpaque({ family: 'anthropic', value: 'EqQB' }, 'reasoning', 'gemini')).toBe('localgate.anthropic.EqQB');
    expect(wrapOpaque({ family: 'anthropic', value: 'x' }, 'redacted', 'openai')).toBe('localgate.anthropic-redacted.x');
    // A call's signature is never a client's own reasoning signature, even for its own family.
    expect(wrapOpaque({ family: 'gemini', value: 'CiQB' }, 'call', 'gemini')).toBe('localgate.gemini-call.CiQB');
    const cases: Array<[IrPartFamily, string, OpaqueRole, IrPartFamily]> = [
      ['openai', 'gAAAAB-_=', 'reasoning', 'openai'],
      ['anthropic', 'a+b/c==', 'reasoning', 'openai'],
      ['anthropic', 'x', 'redacted', 'gemini'],
      ['gemini', 'CiQB', 'call', 'anthropic'],
      ['gemini', 'CiQB', 'reasoning', 'anthropic'],
    ];
    for (const [family, value, role, client] of cases) {
      expect(unwrapOpaque(wrapOpaque({ family, value }, role, client), client)).toEqual({ signature: { family, value }, role });
    }
  });

  it('reads an unknown wrapper as the client family’s own value, and tells wrapped values apart', () => {
    expect(unwrapOpaque('localgate.unknown.x', 'openai')).toEqual({ signature: { family: 'openai', value: 'localgate.unknown.x' }, role: 'reasoning' });
    expect(isWrappedOpaque('localgate.gemini.x')).toBe(true);
    expect(isWrappedOpaque('EqQBCkgIARAB')).toBe(false);
    expect(isWrappedOpaque(undefined)).toBe(false);
  });

  it('puts a call signature on the nearest earlier unsigned tool call only', () => {
    const parts: IrPart[] = [
      { type: 'tool-call', toolCallId: 'a', toolName: 'f', argumentsText: '{}' },
      { type: 'text', text: 'x' },
    ];
    expect(attachCallSignature(parts, { family: 'gemini', value: 's1' })).toBe(true);
    expect(parts[0]).toMatchObject({ signature: { family: 'gemini', value: 's1' } });
    expect(attachCallSignature(parts, { family: 'gemini', value: 's2' })).toBe(false);
    expect(attachCallSignature([{ type: 'text', text: 'x' }], { family: 'gemini', value: 's' })).toBe(false);
  });
});

describe('wrapThinking', () => {
  it('carries a signed thinking block whole — text (any characters) and signature — and back', () => {
    const text = 'Weighing "Zürich" 🙂\nline two. localgate.anthropic.x';
    const wrapped = wrapThinking(text, { family: 'anthropic', value: 'EqQBCkYIBx+/=' });
    expect(isWrappedOpaque(wrapped)).toBe(true);
    expect(wrapped).toMatch(/^localgate\.anthropic-thinking\.[A-Za-z0-9_-]+$/);
    expect(unwrapOpaque(wrapped, 'gemini')).toEqual({ signature: { family: 'anthropic', value: 'EqQBCkYIBx+/=' }, role: 'thinking', text });
  });

  it('a damaged value is not ours: the client’s own, as it came', () => {
    expect(unwrapOpaque('localgate.anthropic-thinking.@@@', 'gemini')).toEqual({ signature: { family: 'gemini', value: 'localgate.anthropic-thinking.@@@' }, role: 'reasoning' });
  });
});

type IrPartFamily = IrOpaque['family'];
