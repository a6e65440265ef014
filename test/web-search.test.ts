import { describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, type GenerateContentResponse, type GroundingMetadata } from '@google/genai';
import OpenAI from 'openai';
import type { NewAccount } from '../shared/accounts.js';
import { FAKE_SEARCH_RESULTS } from './fakes/fake-anthropic-upstream.js';
import { FAKE_GROUNDED_TEXT, FAKE_GROUNDING_SOURCES } from './fakes/fake-gemini-upstream.js';
import { useProxyOverFakes } from './helpers/proxy-over-fakes.js';

/**
 * A client's web search tool runs as the serving account's own search: real SDKs → Localgate →
 * fake upstreams that search the way their provider does. The upstream receives its own tool, and
 * the client reads the searches and citations in its own shape, streamed or not; a family with
 * no search drops the tool and says so in `x-localgate-warnings`.
 */

const QUESTION = 'Who won Euro 2024?';

describe('web search runs as the serving account’s own server tool', () => {
  const fakes = useProxyOverFakes();
  const serve = (account: NewAccount & { label: string }) => fakes.serve([account]);
  const accounts = fakes.account;
  const harness = () => fakes.harness();
  const openaiClient = () => new OpenAI({ baseURL: `${harness().origin()}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropicClient = () => new Anthropic({ baseURL: harness().origin(), apiKey: 'x', maxRetries: 0 });
  const geminiClient = () => new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: harness().origin() } });
  const lastBody = (upstream: { requests: Array<{ body: any }> }) => upstream.requests.at(-1)!.body;

  async function askResponses(stream: boolean, model: string) {
    const request = { model, input: QUESTION, tools: [{ type: 'web_search' as const }] };
    if (!stream) return openaiClient().responses.create(request);
    const events: string[] = [];
    const responseStream = openaiClient().responses.stream(request);
    responseStream.on('event', (event) => events.push(event.type));
    const response = await responseStream.finalResponse();
    return Object.assign(response, { events });
  }

  /** The Responses answer's text parts, each with the spans its annotations cite. */
  function citedSpans(response: OpenAI.Responses.Response) {
    return response.output.flatMap((item) =>
      item.type === 'message'
        ? item.content.flatMap((part) =>
            part.type === 'output_text'
              ? part.annotations.map((annotation) => {
                  if (annotation.type !== 'url_citation') throw new Error(`unexpected ${annotation.type}`);
                  return { url: annotation.url, title: annotation.title, cited: part.text.slice(annotation.start_index, annotation.end_index) };
                })
              : [],
          )
        : [],
    );
  }

  for (const stream of [false, true]) {
    const mode = stream ? 'streamed' : 'not streamed';

    it(`Responses client → Anthropic account (${mode}): Anthropic's web search runs; a web_search_call item and url_citation annotations come back`, async () => {
      await serve(accounts.anthropic());
      const response = await askResponses(stream, 'claude-sonnet-4-5');

      expect(lastBody(fakes.anthropic()).tools).toEqual([{ type: 'web_search_20250305', name: 'web_search' }]);
      const search = response.output.find((item) => item.type === 'web_search_call');
      expect(search).toMatchObject({ type: 'web_search_call', status: 'completed', action: { type: 'search', query: QUESTION } });
      expect((search as { action: { sources?: unknown } }).action.sources).toEqual(FAKE_SEARCH_RESULTS.map((result) => ({ type: 'url', url: result.url })));
      // Anthropic cites whole text blocks: each annotation spans its block's text.
      expect(citedSpans(response)).toEqual([
        { url: FAKE_SEARCH_RESULTS[0]!.url, title: FAKE_SEARCH_RESULTS[0]!.title, cited: 'Spain won Euro 2024, beating England 2–1.' },
        { url: FAKE_SEARCH_RESULTS[1]!.url, title: FAKE_SEARCH_RESULTS[1]!.title, cited: 'The final was played in Berlin’s Olympiastadion.' },
      ]);
      expect(response.output_text).toBe('Here is what I found. Spain won Euro 2024, beating England 2–1. The final was played in Berlin’s Olympiastadion.');
      if (stream) {
        expect((response as unknown as { events: string[] }).events).toEqual(
          expect.arrayContaining(['response.web_search_call.searching', 'response.web_search_call.completed', 'response.output_text.annotation.added']),
        );
      }
    });

    it(`Responses client → Gemini account (${mode}): Google Search grounds the answer; byte spans become the client's character spans`, async () => {
      await serve(accounts.gemini());
      const response = await askResponses(stream, 'gemini-2.5-flash');

      expect(lastBody(fakes.gemini()).tools).toEqual([{ googleSearch: {} }]);
      const search = response.output.find((item) => item.type === 'web_search_call');
      expect(search).toMatchObject({ status: 'completed', action: { type: 'search', query: QUESTION } });
      expect(response.output_text).toBe(FAKE_GROUNDED_TEXT);
      // The sentences hold multibyte characters (– and ’): a byte offset used as is would cut them.
      expect(citedSpans(response)).toEqual(FAKE_GROUNDING_SOURCES.map((source) => ({ url: source.uri, title: source.title, cited: source.sentence })));
    });

    it(`Anthropic client with web_search_20250305 → Gemini account (${mode}): server_tool_use, web_search_tool_result and cited text come back`, async () => {
      await serve(accounts.gemini());
      const request = {
        model: 'gemini-2.5-flash',
        max_tokens: 200,
        tools: [{ type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 2 }],
        messages: [{ role: 'user' as const, content: QUESTION }],
      };
      const { data: message, response } = stream
        ? { data: await anthropicClient().messages.stream(request).finalMessage(), response: undefined }
        : await anthropicClient().messages.create(request).withResponse();

      expect(lastBody(fakes.gemini()).tools).toEqual([{ googleSearch: {} }]);
      // Google Search has no use limit: said, not silently lost.
      if (response) expect(response.headers.get('x-localgate-warnings')).toContain('dropped-web-search-options');
      // Gemini reports its searches with the answer's end: a stream can only write them after the
      // text; a whole answer has them first, as Claude's.
      const toolUse = message.content.find((block) => block.type === 'server_tool_use');
      const result = message.content.find((block) => block.type === 'web_search_tool_result');
      const texts = message.content.filter((block) => block.type === 'text');
      if (!stream) expect(message.content.slice(0, 2)).toEqual([toolUse, result]);
      expect(toolUse).toMatchObject({ type: 'server_tool_use', name: 'web_search', input: { query: QUESTION } });
      expect(result).toMatchObject({ type: 'web_search_tool_result', tool_use_id: (toolUse as { id: string }).id });
      expect((result as Anthropic.WebSearchToolResultBlock).content).toEqual(
        FAKE_GROUNDING_SOURCES.map((source) => expect.objectContaining({ type: 'web_search_result', url: source.uri, title: source.title })),
      );
      expect(texts.map((block) => (block.type === 'text' ? block.text : '')).join('')).toBe(FAKE_GROUNDED_TEXT);
      const citations = texts.flatMap((block) => (block.type === 'text' ? (block.citations ?? []) : []));
      expect(citations).toEqual(
        FAKE_GROUNDING_SOURCES.map((source) => expect.objectContaining({ type: 'web_search_result_location', url: source.uri, title: source.title, cited_text: source.sentence })),
      );
      expect(message.stop_reason).toBe('end_turn');
    });

    it(`Gemini client with googleSearch → Anthropic account (${mode}): groundingMetadata comes back with byte spans over the answer`, async () => {
      await serve(accounts.anthropic());
      const params = { model: 'claude-sonnet-4-5', contents: QUESTION, config: { tools: [{ googleSearch: {} }] } };
      let text = '';
      let metadata: GroundingMetadata | undefined;
      if (stream) {
        const chunks: GenerateContentResponse[] = [];
        for await (const chunk of await geminiClient().models.generateContentStream(params)) chunks.push(chunk);
        text = chunks.map((chunk) => chunk.text ?? '').join('');
        // Gemini puts it on the last chunk only.
        expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.groundingMetadata === undefined)).toBe(true);
        metadata = chunks.at(-1)!.candidates![0]!.groundingMetadata;
      } else {
        const response = await geminiClient().models.generateContent(params);
        text = response.text ?? '';
        metadata = response.candidates![0]!.groundingMetadata;
      }

      expect(lastBody(fakes.anthropic()).tools).toEqual([{ type: 'web_search_20250305', name: 'web_search' }]);
      expect(text).toBe('Here is what I found. Spain won Euro 2024, beating England 2–1. The final was played in Berlin’s Olympiastadion.');
      expect(metadata!.webSearchQueries).toEqual([QUESTION]);
      expect(metadata!.groundingChunks).toEqual(FAKE_SEARCH_RESULTS.map((result) => ({ web: { uri: result.url, title: result.title } })));
      const bytes = Buffer.from(text);
      const cited = metadata!.groundingSupports!.map((support) => ({
        sources: support.groundingChunkIndices,
        text: bytes.subarray(support.segment!.startIndex ?? 0, support.segment!.endIndex).toString(),
      }));
      expect(cited).toEqual([
        { sources: [0], text: 'Spain won Euro 2024, beating England 2–1.' },
        { sources: [1], text: 'The final was played in Berlin’s Olympiastadion.' },
      ]);
    });
  }

  it('Responses client with web search and a function tool → Gemini account: the function tool wins, the search is dropped with a warning', async () => {
    await serve(accounts.gemini());
    const { data, response } = await openaiClient()
      .responses.create({
        model: 'gemini-2.5-flash',
        input: QUESTION,
        tool_choice: 'auto',
        tools: [{ type: 'web_search' }, { type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false }],
      })
      .withResponse();
    expect(lastBody(fakes.gemini()).tools).toEqual([{ functionDeclarations: [expect.objectContaining({ name: 'lookup' })] }]);
    expect(response.headers.get('x-localgate-warnings')).toContain('dropped-web-search');
    expect(data.status).toBe('completed');
  });

  it('Responses client with web search only and tool_choice → Gemini account: no function calling config goes with the search', async () => {
    await serve(accounts.gemini());
    const response = await openaiClient().responses.create({ model: 'gemini-2.5-flash', input: QUESTION, tool_choice: 'auto', tools: [{ type: 'web_search' }] });
    expect(lastBody(fakes.gemini())).not.toHaveProperty('toolConfig');
    expect(response.output_text).toBe(FAKE_GROUNDED_TEXT);
  });

  it('an OpenAI-compatible account has no web search: the tool is dropped and x-localgate-warnings says so', async () => {
    await serve(accounts.openai());
    const { data, response } = await openaiClient()
      .responses.create({ model: 'gpt-4o-mini', input: QUESTION, tools: [{ type: 'web_search' }] })
      .withResponse();
    expect(response.headers.get('x-localgate-warnings')).toContain('dropped-web-search');
    const sent = lastBody(fakes.openai());
    expect(sent.tools).toBeUndefined();
    expect(sent).not.toHaveProperty('web_search_options');
    expect(data.output.some((item) => item.type === 'web_search_call')).toBe(false);
  });
});
