import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { SseParser } from '../shared/sse-parser.js';
import { decodeOpenAIResponsesRequest } from './decode-request.js';
import { encodeOpenAIResponsesResponse } from './encode-response.js';
import { createOpenAIResponsesStreamEncoder } from './encode-stream.js';

const request: IrRequest = {
  model: 'gpt-5',
  instructions: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'Who won?' }] }],
  tools: [],
  serverTools: [{ kind: 'web-search' }],
  sampling: {},
  stream: true,
  extras: {},
  warnings: [],
};
const search = { id: 'srvtoolu_1', queries: ['euro 2024 winner'], sources: [{ url: 'https://uefa.com/final', title: 'UEFA' }, { url: 'https://en.wikipedia.org/wiki/Euro_2024' }] };

describe('Responses web search: request', () => {
  it('decodes web_search and web_search_preview (dated too) as the IR web search, with allowed domains and location', () => {
    const decoded = decodeOpenAIResponsesRequest(
      {
        model: 'gpt-5',
        input: 'hi',
        tools: [
          { type: 'web_search', filters: { allowed_domains: ['uefa.com'] }, user_location: { type: 'approximate', country: 'GB', city: 'London', region: null }, search_context_size: 'low' },
          { type: 'web_search_preview_2025_03_11' },
          { type: 'file_search', vector_store_ids: ['vs_1'] },
        ],
      },
      { headers: {} },
    );
    expect(decoded.serverTools).toEqual([{ kind: 'web-search', allowedDomains: ['uefa.com'], userLocation: { country: 'GB', city: 'London' } }, { kind: 'web-search' }]);
    // Other hosted tools are still dropped with a warning.
    expect(decoded.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'tools.file_search' })]);
  });
});

describe('Responses web search: IR → a Responses client', () => {
  it('writes a web_search_call item and url_citation annotations (a spanless citation covers its text)', () => {
    const response: IrResponse = {
      id: 'msg_1',
      model: 'claude-sonnet-4-5',
      created: 1,
      content: [
        { type: 'web-search-call', ...search },
        { type: 'text', text: 'Spain won.', citations: [{ url: 'https://uefa.com/final', title: 'UEFA' }] },
        { type: 'text', text: ' In Berlin – at night.', citations: [{ url: 'https://en.wikipedia.org/wiki/Euro_2024', startIndex: 4, endIndex: 10 }] },
      ],
      finishReason: { unified: 'stop' },
      usage: {},
      warnings: [],
    };
    const encoded = encodeOpenAIResponsesResponse(response, request);
    expect(encoded.output).toEqual([
      {
        type: 'web_search_call',
        id: 'ws_msg_1_0',
        status: 'completed',
        action: { type: 'search', query: 'euro 2024 winner', sources: [{ type: 'url', url: 'https://uefa.com/final' }, { type: 'url', url: 'https://en.wikipedia.org/wiki/Euro_2024' }] },
      },
      {
        type: 'message',
        id: 'msg_msg_1_1',
        status: 'completed',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Spain won.', annotations: [{ type: 'url_citation', url: 'https://uefa.com/final', title: 'UEFA', start_index: 0, end_index: 10 }] },
          { type: 'output_text', text: ' In Berlin – at night.', annotations: [{ type: 'url_citation', url: 'https://en.wikipedia.org/wiki/Euro_2024', title: '', start_index: 4, end_index: 10 }] },
        ],
      },
    ]);
    expect(encoded.tools).toEqual([{ type: 'web_search', filters: null, search_context_size: 'medium', user_location: null }]);
  });

  it('streams the search item whole and annotations as the SDK accumulates them', () => {
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'resp_1', model: 'gemini-2.5-flash', created: 1 },
      { type: 'text-start', id: 'a' },
      { type: 'text-citation', id: 'a', citation: { url: 'https://uefa.com/final', title: 'UEFA' } },
      { type: 'text-delta', id: 'a', delta: 'Spain ' },
      { type: 'text-delta', id: 'a', delta: 'won.' },
      { type: 'text-end', id: 'a' },
      { type: 'text-start', id: 'b' },
      { type: 'text-delta', id: 'b', delta: 'In Berlin.' },
      { type: 'web-search-call', ...search },
      { type: 'text-citation', id: 'b', citation: { url: 'https://en.wikipedia.org/wiki/Euro_2024', startIndex: 3, endIndex: 9 } },
      { type: 'text-end', id: 'b' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: {} },
    ];
    assertEventOrder(events);
    const encoder = createOpenAIResponsesStreamEncoder(request);
    const sse = events.map((event) => encoder.push(event)).join('') + encoder.end();
    const frames = new SseParser().push(Buffer.from(sse)).map((event) => JSON.parse(event.data) as ResponseStreamEvent);
    const types = frames.map((frame) => frame.type);
    expect(types.slice(types.indexOf('response.output_item.added', types.indexOf('response.output_text.done') + 1))).toEqual([
      'response.output_item.added', // message b
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_item.added', // the search, whole
      'response.web_search_call.in_progress',
      'response.web_search_call.searching',
      'response.web_search_call.completed',
      'response.output_item.done',
      'response.output_text.annotation.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    // The annotation of the spanless citation waits for its text's end, then covers all of it.
    const firstAnnotation = types.indexOf('response.output_text.annotation.added');
    expect(types.indexOf('response.output_text.delta')).toBeLessThan(firstAnnotation);

    let accumulated: Response | undefined;
    for (const frame of frames) accumulated = accumulateResponse(frame, accumulated);
    const completed = (frames.at(-1) as { response: Response }).response;
    for (const response of [accumulated!, completed]) {
      const cited = response.output.flatMap((item) =>
        item.type === 'message' ? item.content.flatMap((part) => (part.type === 'output_text' ? part.annotations.map((annotation) => annotation.type === 'url_citation' && part.text.slice(annotation.start_index, annotation.end_index)) : [])) : [],
      );
      expect(cited).toEqual(['Spain won.', 'Berlin']);
      expect(response.output.find((item) => item.type === 'web_search_call')).toMatchObject({ status: 'completed', action: { query: 'euro 2024 winner' } });
    }
  });
});
