import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { decodeAnthropicResponse } from './decode-response.js';
import { encodeAnthropicRequest } from './encode-request.js';
import { encodeAnthropicResponse } from './encode-response.js';
import { createAnthropicStreamEncoder } from './encode-stream.js';
import { decodeStream, readJsonFixture, sseBytes } from './__fixtures__/fixtures.js';

const request: IrRequest = { model: 'claude-sonnet-4-5', instructions: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'news?' }] }], tools: [], sampling: {}, stream: false, extras: {}, warnings: [] };

const FORUM_URL = 'https://future.forem.com/om_shree_0709/major-tech-news-september-25-2025-5h38';
const FORUM_TITLE = '📰 Major Tech News: September 25, 2025 - Future';
const ORACLE = 'Oracle followed with a $15 billion bond raise for cloud expansion, riding AI demand waves.';
const SOURCES = [
  { url: 'https://www.crescendo.ai/news/latest-ai-news-and-updates', title: 'The Latest AI News and AI Breakthroughs that Matter Most: 2025 | News' },
  { url: FORUM_URL, title: FORUM_TITLE },
];

describe('Anthropic web search: request', () => {
  it('encodes the IR web search as web_search_20250305 with its options, before other server tools', () => {
    const body = encodeAnthropicRequest(
      {
        ...request,
        serverTools: [{ kind: 'web-search', maxUses: 2, allowedDomains: ['uefa.com'], userLocation: { city: 'Paris', country: 'FR' } }],
        extras: { anthropic: { serverTools: [{ type: 'code_execution_20250522', name: 'code_execution' }] } },
      },
      'claude-sonnet-4-5',
    );
    expect(body.tools).toEqual([
      { type: 'web_search_20250305', name: 'web_search', max_uses: 2, allowed_domains: ['uefa.com'], user_location: { type: 'approximate', city: 'Paris', country: 'FR' } },
      { type: 'code_execution_20250522', name: 'code_execution' },
    ]);
  });
});

describe('Anthropic web search: answers → IR', () => {
  it('decodes a recorded stream: the search whole when its result comes, citations before the text they back', () => {
    const events = decodeStream(sseBytes('web-search.chunks.txt'), [7, 64, 3]);
    expect(events.filter((event) => event.type !== 'usage')).toEqual([
      { type: 'response-start', id: 'msg_01LHpEgU4KbfgXGVi3UtHQY1', model: 'claude-sonnet-4-20250514', created: 0 },
      { type: 'web-search-call', id: 'srvtoolu_01Bj5uzzLcYG5hfueSLcDH8k', queries: ['tech news today September 26 2025'], sources: SOURCES },
      { type: 'text-start', id: 'b2' },
      { type: 'text-delta', id: 'b2', delta: '\n\nKey highlights include:\n- ' },
      { type: 'text-end', id: 'b2' },
      { type: 'text-start', id: 'b3' },
      { type: 'text-citation', id: 'b3', citation: { url: FORUM_URL, title: FORUM_TITLE, citedText: `${ORACLE} ` } },
      { type: 'text-delta', id: 'b3', delta: ORACLE },
      { type: 'text-end', id: 'b3' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn', protocol: 'anthropic' }, usage: expect.any(Object) },
    ]);
  });

  it('decodes a whole answer: a web-search-call part, then the text with its citations', () => {
    const response = decodeAnthropicResponse(readJsonFixture('web-search-response.json'));
    expect(response.content).toEqual([
      { type: 'web-search-call', id: 'srvtoolu_01Bj5uzzLcYG5hfueSLcDH8k', queries: ['tech news today September 26 2025'], sources: SOURCES },
      { type: 'text', text: '\n\nKey highlights include:\n- ' },
      { type: 'text', text: ORACLE, citations: [{ url: FORUM_URL, title: FORUM_TITLE, citedText: `${ORACLE} ` }] },
    ]);
    expect(response.warnings).toEqual([]);
  });
});

describe('Anthropic web search: IR → an Anthropic client', () => {
  const call = { id: 'ws_grounded', queries: ['euro 2024 winner', 'euro 2024 final venue'], sources: [{ url: 'https://uefa.com/final', title: 'uefa.com' }] };
  const citation = { url: 'https://uefa.com/final', title: 'uefa.com', citedText: 'Spain won.', startIndex: 0, endIndex: 10 };

  it('writes one server_tool_use + web_search_tool_result pair per query (pages with the first) and citations on the text', () => {
    const response: IrResponse = {
      id: 'r1',
      model: 'gemini-2.5-flash',
      created: 0,
      content: [{ type: 'web-search-call', ...call }, { type: 'text', text: 'Spain won.', citations: [citation] }],
      finishReason: { unified: 'stop' },
      usage: {},
      warnings: [],
    };
    expect(encodeAnthropicResponse(response, request).content).toEqual([
      { type: 'server_tool_use', id: 'srvtoolu_ws_grounded', name: 'web_search', input: { query: 'euro 2024 winner' } },
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_ws_grounded',
        content: [{ type: 'web_search_result', url: 'https://uefa.com/final', title: 'uefa.com', encrypted_content: '', page_age: null }],
      },
      { type: 'server_tool_use', id: 'srvtoolu_ws_grounded_1', name: 'web_search', input: { query: 'euro 2024 final venue' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_ws_grounded_1', content: [] },
      {
        type: 'text',
        text: 'Spain won.',
        citations: [{ type: 'web_search_result_location', url: 'https://uefa.com/final', title: 'uefa.com', cited_text: 'Spain won.', encrypted_index: '' }],
      },
    ]);
  });

  it('streams the search as whole blocks after the text being written, and a citation as a citations_delta', () => {
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'r1', model: 'm', created: 0 },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Spain won.' },
      { type: 'web-search-call', ...call, queries: [call.queries[0]!] },
      { type: 'text-citation', id: 't', citation },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: {} },
    ];
    assertEventOrder(events);
    const encoder = createAnthropicStreamEncoder(request);
    const sse = events.map((event) => encoder.push(event)).join('') + encoder.end();
    const frames = sse
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.split('\n')[1]!.slice('data: '.length)));
    const blocks = frames.filter((frame) => frame.type !== 'message_start' && frame.type !== 'message_delta' && frame.type !== 'message_stop');
    expect(blocks).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Spain won.' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', url: 'https://uefa.com/final', title: 'uefa.com', cited_text: 'Spain won.', encrypted_index: '' } },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 'srvtoolu_ws_grounded', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query":"euro 2024 winner"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: expect.objectContaining({ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_ws_grounded' }) },
      { type: 'content_block_stop', index: 2 },
    ]);
    expect(frames.find((frame) => frame.type === 'message_delta').delta.stop_reason).toBe('end_turn');
  });

  it('holds a citation of a text block that waits behind another block until that block starts', () => {
    const encoder = createAnthropicStreamEncoder(request);
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'r1', model: 'm', created: 0 },
      { type: 'reasoning-start', id: 'r' },
      { type: 'text-start', id: 't' },
      { type: 'text-citation', id: 't', citation },
      { type: 'text-delta', id: 't', delta: 'Spain won.' },
      { type: 'reasoning-delta', id: 'r', delta: 'hmm' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: {} },
    ];
    const types = (events.map((event) => encoder.push(event)).join('') + encoder.end())
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.split('\n')[1]!.slice('data: '.length)))
      .filter((frame) => frame.index === 1)
      .map((frame) => frame.delta?.type ?? frame.type);
    expect(types).toEqual(['content_block_start', 'citations_delta', 'text_delta', 'content_block_stop']);
  });
});
