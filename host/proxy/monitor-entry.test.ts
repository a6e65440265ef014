import { describe, expect, it } from 'vitest';
import { MAX_ENTRY_WARNINGS, MonitorEntrySchema } from '../../shared/monitor.js';
import { warningCode } from '../ir/ir-warning.js';
import type { RequestTrace } from '../core/request-trace.js';
import { entryWarnings, monitorEntry } from './monitor-entry.js';

describe('warning codes', () => {
  it('are the kind of change and the feature, in kebab case', () => {
    expect(warningCode({ type: 'dropped', feature: 'top_k', details: 'not an OpenAI parameter' })).toBe('dropped-top-k');
    expect(warningCode({ type: 'coerced', feature: 'thinking.budget_tokens', details: '500 raised to 1024' })).toBe('coerced-thinking-budget-tokens');
    expect(warningCode({ type: 'dropped', feature: 'tool-schema.additionalProperties', details: 'tool "Bash": properties' })).toBe('dropped-tool-schema-additionalproperties');
    expect(warningCode({ type: 'unsupported', feature: 'content part input_audio' })).toBe('unsupported-content-part-input-audio');
  });

  it('stay header-safe and short whatever a client-sent type holds', () => {
    const code = warningCode({ type: 'dropped', feature: `content block ${'é\r\n<x>,'.repeat(30)}` });
    expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(code.length).toBeLessThanOrEqual(48);
  });
});

describe('monitor entry warnings', () => {
  it('keep each code once with its first message, on one line, cut at 200 characters', () => {
    const warnings = entryWarnings([
      { type: 'dropped', feature: 'tool-schema.format', details: 'tool "A"' },
      { type: 'dropped', feature: 'tool-schema.format', details: 'tool "B"' },
      { type: 'dropped', feature: 'seed' },
      { type: 'dropped', feature: 'content block x\ny', details: 'z'.repeat(300) },
    ]);
    expect(warnings.map((warning) => warning.code)).toEqual(['dropped-tool-schema-format', 'dropped-seed', 'dropped-content-block-x-y']);
    expect(warnings[0]!.message).toBe('tool-schema.format: tool "A"');
    expect(warnings[1]!.message).toBe('seed');
    expect(warnings[2]!.message).toHaveLength(200);
    expect(warnings[2]!.message).toMatch(/^content block x y: z+…$/);
  });

  it('are bounded, and absent from an entry whose request had none', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ type: 'dropped' as const, feature: `field_${i}` }));
    expect(entryWarnings(many)).toHaveLength(MAX_ENTRY_WARNINGS);
    const trace: RequestTrace = { id: 'r1', time: 1, started: performance.now(), protocol: 'openai' };
    expect(monitorEntry(trace, 'POST', '/v1/chat/completions', 200, true)).not.toHaveProperty('warnings');
    trace.warnings = many;
    const entry = monitorEntry(trace, 'POST', '/v1/chat/completions', 200, true);
    expect(MonitorEntrySchema.parse(entry)).toEqual(entry);
    expect(entry.warnings).toHaveLength(MAX_ENTRY_WARNINGS);
  });
});
