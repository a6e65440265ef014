import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, type Content, type Part } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openService } from './helpers/running-service.js';
import { startFakeAnthropicUpstream, toolUseAnswer } from './fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream } from './fakes/fake-gemini-upstream.js';

/**
 * Thought signatures survive every client protocol: a two-turn tool conversation (the model
 * calls get_weather, the client answers with the result) through each client SDK, streamed and
 * not, against an upstream as strict as the real one. Gemini 3 rejects a replayed call without
 * the signature it issued; Anthropic with thinking on rejects a tool turn whose thinking block is
 * missing or altered. The client sends back exactly what its SDK returned (or, for OpenAI Chat,
 * also what a client that drops unknown fields keeps); the assertions check that the upstream got
 * the signature it issued, not a fallback.
 */

const MODEL = 'sig-model';
const QUESTION = 'Weather in Paris?';
const RESULT = { temperature: 21 };
const ANSWER = 'Sunny, 21 °C in Paris.';
const WEATHER = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

interface Conversation {
  /** The answer to the second turn. */
  answer: string;
  /** What the first answer looked like to the client (to check the signature reached it). */
  firstTurn: unknown;
}

type Client = (origin: string, stream: boolean, options: { dropUnknownFields?: boolean }) => Promise<Conversation>;

const openAIChat: Client = async (origin, stream, { dropUnknownFields }) => {
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const tools = [{ type: 'function' as const, function: { name: WEATHER.name, description: WEATHER.description, parameters: { ...WEATHER.parameters } } }];
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: QUESTION }];
  const ask = async () => {
    const request = { model: MODEL, tools, reasoning_effort: 'low' as const, messages };
    return stream ? client.chat.completions.stream(request).finalChatCompletion() : client.chat.completions.create(request);
  };
  const first = (await ask()).choices[0]!.message;
  const call = first.tool_calls?.[0];
  if (call?.type !== 'function') throw new Error('expected a function call');
  // A client that keeps only the fields it knows drops extra_content and reasoning_content.
  const kept = { role: 'assistant' as const, content: first.content, tool_calls: first.tool_calls!.map((c) => c.type === 'function' ? { id: c.id, type: c.type, function: { name: c.function.name, arguments: c.function.arguments } } : c) };
  messages.push(dropUnknownFields ? kept : first, { role: 'tool', tool_call_id: call.id, content: JSON.stringify(RESULT) });
  const second = (await ask()).choices[0]!.message;
  return { answer: second.content ?? '', firstTurn: first };
};

const openAIResponses: Client = async (origin, stream) => {
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const tools = [{ type: 'function' as const, name: WEATHER.name, description: WEATHER.description, parameters: { ...WEATHER.parameters }, strict: false }];
  const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: QUESTION }];
  const ask = async () => {
    const request = { model: MODEL, tools, reasoning: { effort: 'low' as const }, input };
    return stream ? client.responses.stream(request).finalResponse() : client.responses.create(request);
  };
  const first = await ask();
  const call = first.output.find((item) => item.type === 'function_call');
  if (call?.type !== 'function_call') throw new Error('expected a function_call item');
  input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(RESULT) });
  const second = await ask();
  const text = second.output.flatMap((item) => (item.type === 'message' ? item.content : [])).map((part) => (part.type === 'output_text' ? part.text : '')).join('');
  return { answer: text, firstTurn: first.output };
};

const anthropicMessages: Client = async (origin, stream) => {
  const client = new Anthropic({ baseURL: origin, apiKey: 'sk-ant-client', maxRetries: 0 });
  const tools = [{ name: WEATHER.name, description: WEATHER.description, input_schema: { ...WEATHER.parameters } }];
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: QUESTION }];
  const ask = async () => {
    const request = { model: MODEL, max_tokens: 4096, thinking: { type: 'enabled' as const, budget_tokens: 2048 }, tools, messages };
    return stream ? client.messages.stream(request).finalMessage() : client.messages.create(request);
  };
  const first = await ask();
  const use = first.content.find((block) => block.type === 'tool_use');
  if (use?.type !== 'tool_use') throw new Error('expected a tool_use block');
  messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(RESULT) }] });
  const second = await ask();
  return { answer: second.content.map((block) => (block.type === 'text' ? block.text : '')).join(''), firstTurn: first.content };
};

const gemini: Client = async (origin, stream) => {
  const ai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: origin } });
  // The SDK's chat keeps the history itself, signatures included, as user code relies on.
  const chat = ai.chats.create({
    model: MODEL,
    config: {
      tools: [{ functionDeclarations: [{ name: WEATHER.name, description: WEATHER.description, parametersJsonSchema: WEATHER.parameters }] }],
      thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
    },
  });
  const send = async (message: string | Part[]): Promise<string> => {
    if (!stream) return (await chat.sendMessage({ message })).text ?? '';
    let text = '';
    for await (const chunk of await chat.sendMessageStream({ message })) text += chunk.text ?? '';
    return text;
  };
  await send(QUESTION);
  const firstTurn = chat.getHistory().at(-1);
  const answer = await send([{ functionResponse: { name: WEATHER.name, response: RESULT } }]);
  return { answer, firstTurn };
};

/**
 * A Gemini client that keeps only what it acts on, as Gemini CLI does: the model turn goes back
 * with its text and function calls, its thought parts dropped.
 */
const geminiKeepingCallsOnly: Client = async (origin, stream) => {
  const ai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: origin } });
  const config = {
    tools: [{ functionDeclarations: [{ name: WEATHER.name, description: WEATHER.description, parametersJsonSchema: WEATHER.parameters }] }],
    thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
  };
  const contents: Content[] = [{ role: 'user', parts: [{ text: QUESTION }] }];
  const ask = async (): Promise<Part[]> => {
    if (!stream) return (await ai.models.generateContent({ model: MODEL, contents, config })).candidates?.[0]?.content?.parts ?? [];
    const parts: Part[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents, config })) parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    return parts;
  };
  const first = await ask();
  const kept = first.filter((part) => !part.thought && (part.functionCall || part.text));
  contents.push({ role: 'model', parts: kept }, { role: 'user', parts: [{ functionResponse: { name: WEATHER.name, response: RESULT } }] });
  const second = await ask();
  return { answer: second.filter((part) => !part.thought).map((part) => part.text ?? '').join(''), firstTurn: kept };
};

const CLIENTS = { 'OpenAI Chat': openAIChat, 'OpenAI Responses': openAIResponses, Anthropic: anthropicMessages, Gemini: gemini } as const;

/** A running proxy with one account on the fake `start` makes, the test model mapped to `upstreamModel`. */
function proxyOnto<Fake extends { baseUrl: string; apiKey: string; close(): Promise<void> }>(start: () => Promise<Fake>, provider: 'gemini' | 'anthropic', upstreamModel: string) {
  const setup = {} as { fake: Fake; harness: Awaited<ReturnType<typeof openService>> };
  beforeAll(async () => {
    setup.fake = await start();
    setup.harness = await openService({ auth_mode: 'off', model_mapping: { [MODEL]: upstreamModel } });
    setup.harness.service.addAccount({ provider, base_url: setup.fake.baseUrl, api_key: setup.fake.apiKey, label: provider });
    await setup.harness.service.startProxy();
  });
  afterAll(async () => {
    await setup.harness?.close();
    await setup.fake?.close();
  });
  return setup;
}

describe('a Gemini 3 account: the function call goes back with the signature Gemini issued', () => {
  const setup = proxyOnto(() => startFakeGeminiUpstream({ models: ['gemini-3-pro-preview'] }), 'gemini', 'gemini-3-pro-preview');
  beforeEach(() => {
    setup.fake.requests.length = 0;
    setup.fake.queue.push({ kind: 'function-call', calls: [{ name: WEATHER.name, args: { city: 'Paris' } }] }, { kind: 'ok', text: ANSWER });
  });

  /** The model turn of the second request: its function call must carry the signature issued in the first answer. */
  function replayedCall(): Record<string, any> {
    const body = setup.fake.requests.at(-1)!.body;
    const modelTurn = body.contents.find((content: any) => content.role === 'model');
    return modelTurn.parts.find((part: any) => part.functionCall);
  }

  for (const [name, client] of Object.entries(CLIENTS)) {
    for (const stream of [false, true]) {
      it(`${name}${stream ? ', streamed' : ''}`, async () => {
        // Nothing remembered: the signature must travel in what the client sent back.
        await setup.harness.service.updateConfig({ signature_cache_size: 0 });
        const { answer } = await client(setup.harness.origin(), stream, {});
        expect(answer).toBe(ANSWER);
        const call = replayedCall();
        expect(call.functionCall).toMatchObject({ name: WEATHER.name, args: { city: 'Paris' } });
        expect(setup.fake.issuedSignatures.has(call.thoughtSignature)).toBe(true);
      });
    }
  }

  for (const stream of [false, true]) {
    it(`OpenAI Chat${stream ? ', streamed' : ''}: extra_content.google.thought_signature, and a client that drops it gets it restored`, async () => {
      await setup.harness.service.updateConfig({ signature_cache_size: 10_000 });
      const { firstTurn } = await openAIChat(setup.harness.origin(), stream, {});
      const sent = (firstTurn as OpenAI.ChatCompletionMessage).tool_calls![0] as unknown as { extra_content: { google: { thought_signature: string } } };
      expect(setup.fake.issuedSignatures.has(sent.extra_content.google.thought_signature)).toBe(true);

      setup.fake.queue.push({ kind: 'function-call', calls: [{ name: WEATHER.name, args: { city: 'Paris' } }] }, { kind: 'ok', text: ANSWER });
      const dropped = await openAIChat(setup.harness.origin(), stream, { dropUnknownFields: true });
      expect(dropped.answer).toBe(ANSWER);
      expect(setup.fake.issuedSignatures.has(replayedCall().thoughtSignature)).toBe(true);
    });
  }

  it('Anthropic: the signature rides in an empty thinking block right after its tool_use', async () => {
    const { firstTurn } = await anthropicMessages(setup.harness.origin(), false, {});
    const blocks = firstTurn as Anthropic.ContentBlock[];
    expect(blocks.map((block) => block.type)).toEqual(['tool_use', 'thinking']);
    expect(blocks[1]).toMatchObject({ thinking: '', signature: expect.stringMatching(/^localgate\.gemini-call\./) });
  });

  it('a call no one signed (history from another model) goes with Google’s skip value', async () => {
    setup.fake.queue.length = 0;
    setup.fake.queue.push({ kind: 'ok', text: ANSWER });
    const client = new OpenAI({ baseURL: `${setup.harness.origin()}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'user', content: QUESTION },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_from_gpt', type: 'function', function: { name: WEATHER.name, arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_from_gpt', content: JSON.stringify(RESULT) },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe(ANSWER);
    expect(replayedCall().thoughtSignature).toBe('skip_thought_signature_validator');
  });
});

describe('an Anthropic account with thinking: the tool turn goes back opening with its signed thinking', () => {
  const setup = proxyOnto(() => startFakeAnthropicUpstream(), 'anthropic', 'claude-sonnet-4-5-20250929');
  beforeEach(() => {
    setup.fake.requests.length = 0;
    setup.fake.queue.push(toolUseAnswer([{ id: `toolu_01${Math.random().toString(36).slice(2, 14)}`, name: WEATHER.name, input: { city: 'Paris' } }], { text: 'Let me check.' }), { kind: 'ok', text: ANSWER });
  });

  function replayedTurn(): { thinking: unknown; content: Array<Record<string, any>> } {
    const body = setup.fake.requests.at(-1)!.body;
    return { thinking: body.thinking, content: body.messages.find((message: any) => message.role === 'assistant').content };
  }

  // Chat Completions has no place for a thinking signature: those turns rely on the remembered
  // signature (signature_cache_size); the other protocols carry it themselves (memory off).
  const cases: Array<[string, Client, { dropUnknownFields?: boolean }, number]> = [
    ...Object.entries(CLIENTS).map(([name, client]) => [name, client, {}, name === 'OpenAI Chat' ? 10_000 : 0] as [string, Client, object, number]),
    ['OpenAI Chat, dropping reasoning_content and other unknown fields', openAIChat, { dropUnknownFields: true }, 10_000],
    // The signed thinking rides, whole, on the function call: nothing remembered is needed.
    ['Gemini, keeping only the function calls and text (as Gemini CLI does)', geminiKeepingCallsOnly, {}, 0],
  ];
  for (const [name, client, options, memory] of cases) {
    for (const stream of [false, true]) {
      it(`${name}${stream ? ', streamed' : ''}`, async () => {
        await setup.harness.service.updateConfig({ signature_cache_size: memory });
        const { answer } = await client(setup.harness.origin(), stream, options);
        expect(answer).toBe(ANSWER);
        const { thinking, content } = replayedTurn();
        // Thinking stayed on (the fallback that switches it off was not needed), with the same
        // budget and output limit as turn 1 …
        expect(thinking).toMatchObject({ type: 'enabled' });
        const [turn1, turn2] = [setup.fake.requests.at(-2)!.body, setup.fake.requests.at(-1)!.body];
        expect([turn2.thinking, turn2.max_tokens]).toEqual([turn1.thinking, turn1.max_tokens]);
        // … and the turn opens with the thinking Anthropic signed, text unchanged.
        expect(content[0]!.type).toBe('thinking');
        expect(setup.fake.issuedThinking.get(content[0]!.signature)).toBe(content[0]!.thinking);
        // (A streamed Gemini chat history keeps one text part per chunk: several text blocks.)
        expect(content.map((block) => block.type).filter((type, index, types) => type !== types[index - 1])).toEqual(['thinking', 'text', 'tool_use']);
        expect(content.filter((block) => block.type === 'text').map((block) => block.text).join('')).toBe('Let me check.');
      });
    }
  }
});
