import { describe, expect, it } from 'vitest';
import { anthropicModelPage, geminiModelPage } from './model-list-pages.js';

const MODELS = ['a', 'b', 'c', 'd', 'e'];

describe('model list pages', () => {
  it('Anthropic: the whole list without a limit; limit, after_id and before_id page it with has_more in that direction', () => {
    expect(anthropicModelPage(MODELS, {})).toEqual({ ids: MODELS, has_more: false });
    expect(anthropicModelPage(MODELS, { limit: '2' })).toEqual({ ids: ['a', 'b'], has_more: true });
    expect(anthropicModelPage(MODELS, { limit: '2', after_id: 'b' })).toEqual({ ids: ['c', 'd'], has_more: true });
    expect(anthropicModelPage(MODELS, { limit: '2', after_id: 'd' })).toEqual({ ids: ['e'], has_more: false });
    expect(anthropicModelPage(MODELS, { limit: '2', before_id: 'd' })).toEqual({ ids: ['b', 'c'], has_more: true });
    expect(anthropicModelPage(MODELS, { limit: '2', before_id: 'b' })).toEqual({ ids: ['a'], has_more: false });
    expect(anthropicModelPage(MODELS, { limit: '2', after_id: 'gone' })).toEqual({ ids: [], has_more: false });
  });

  it('Gemini: the whole list without a pageSize; pageSize and the nextPageToken it hands out walk every model once', () => {
    expect(geminiModelPage(MODELS, {})).toEqual({ ids: MODELS });
    const walked: string[] = [];
    let token: string | undefined;
    do {
      const page = geminiModelPage(MODELS, token ? { pageSize: '2', pageToken: token } : { pageSize: '2' });
      walked.push(...page.ids);
      token = page.nextPageToken;
    } while (token);
    expect(walked).toEqual(MODELS);
  });
});
