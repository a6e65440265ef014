import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel } from './resolve-model.js';

describe('resolveModel', () => {
  const mapping = { 'claude-*': 'gpt-4o-mini', 'claude-opus-*': 'gpt-4o', 'claude-opus-4': 'o3', 'gpt-4.1*': 'gpt-4.1-mini', '*-fast': 'fast-model' };

  it('prefers exact, then the most specific wildcard, else passes through', () => {
    expect(resolveModel(mapping, 'claude-opus-4')).toBe('o3');
    expect(resolveModel(mapping, 'claude-opus-4-1')).toBe('gpt-4o');
    expect(resolveModel(mapping, 'claude-sonnet-4')).toBe('gpt-4o-mini');
    expect(resolveModel(mapping, 'gpt-4.1-nano')).toBe('gpt-4.1-mini');
    expect(resolveModel(mapping, 'gpt-4o')).toBe('gpt-4o');
    expect(resolveModel(mapping, 'gpt-401')).toBe('gpt-401'); // the dot is literal
  });

  it('does not read inherited properties as mappings', () => {
    expect(resolveModel({}, 'constructor')).toBe('constructor');
    expect(resolveModel({}, 'toString')).toBe('toString');
  });

  it('gives the same answer whatever order the patterns were added in', () => {
    const entries = Object.entries(mapping);
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length }), fc.constantFrom('claude-opus-x-fast', 'claude-x-fast', 'a-fast', 'claude-opus-4'), (shuffled, model) => {
        expect(resolveModel(Object.fromEntries(shuffled), model)).toBe(resolveModel(mapping, model));
      }),
    );
  });

  it('breaks specificity ties by pattern text', () => {
    expect(resolveModel({ 'a*': 'first', '*a': 'second' }, 'aa')).toBe('second'); // '*' sorts before 'a'
    expect(resolveModel({ '*a': 'second', 'a*': 'first' }, 'aa')).toBe('second');
  });
});
