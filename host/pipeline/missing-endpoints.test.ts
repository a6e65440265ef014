import { describe, expect, it } from 'vitest';
import { MissingEndpoints, isMissingEndpoint } from './missing-endpoints.js';

describe('MissingEndpoints', () => {
  it('remembers an account without an endpoint per model for 30 minutes, then asks again', () => {
    let now = 1_000;
    const missing = new MissingEndpoints(() => now);
    missing.add('acc-1', 'legacy-completions', 'gpt-4o');
    expect(missing.has('acc-1', 'legacy-completions', 'gpt-4o')).toBe(true);
    expect(missing.has('acc-1', 'legacy-completions', 'gpt-3.5-turbo-instruct')).toBe(false);
    expect(missing.has('acc-2', 'legacy-completions', 'gpt-4o')).toBe(false);
    now += 30 * 60_000 - 1;
    expect(missing.has('acc-1', 'legacy-completions', 'gpt-4o')).toBe(true);
    now += 1;
    expect(missing.has('acc-1', 'legacy-completions', 'gpt-4o')).toBe(false);
  });

  it('keeps at most 1000 entries, forgetting the oldest', () => {
    const missing = new MissingEndpoints(() => 0);
    for (let index = 0; index <= 1000; index++) missing.add('acc', 'legacy-completions', `model-${index}`);
    expect(missing.has('acc', 'legacy-completions', 'model-0')).toBe(false);
    expect(missing.has('acc', 'legacy-completions', 'model-1')).toBe(true);
    expect(missing.has('acc', 'legacy-completions', 'model-1000')).toBe(true);
  });

  it('404 and 405 mean no such endpoint; other refusals are answers', () => {
    expect([400, 401, 404, 405, 429, 500].filter(isMissingEndpoint)).toEqual([404, 405]);
  });
});
