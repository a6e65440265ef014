import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { useProxyOverFakes } from './helpers/proxy-over-fakes.js';

const WEATHER_TOOL = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false };

describe('Responses previous_response_id: OpenAI SDK → Localgate (conversation kept in memory) → any account', () => {
  const fakes = useProxyOverFakes();
  const clientFor = (origin: string) => new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'unused', maxRetries: 0 });

  /** `client.responses.create` with `stream: true`, read to its last event, as a streaming client does. */
  async function streamed(client: OpenAI, params: ResponseCreateParamsNonStreaming): Promise<Response> {
    const stream = await client.responses.create({ ...params, stream: true });
    let completed: Response | undefined;
    for await (const event of stream) if (event.type === 'response.completed') completed = event.response;
    return completed!;
  }

  /** The answer's text (raw stream events carry no `output_text`: that is the SDK's convenience on whole responses). */
  const textOf = (response: Response): string =>
    response.output.flatMap((item) => (item.type === 'message' ? item.content.map((part) => (part.type === 'output_text' ? part.text : '')) : [])).join('');

  it('non-streamed: the follow-up reaches the upstream with the earlier turns, not the earlier instructions', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    const client = clientFor(harness.origin());
    fakes.openai().queue.push({ kind: 'ok', text: 'Nice to meet you, Ada.' }, { kind: 'ok', text: 'Your name is Ada.' });

    const first = await client.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'My name is Ada.' });
    expect(first).toMatchObject({ store: true, previous_response_id: null });
    const second = await client.responses.create({ model: 'gpt-4o-mini', input: 'What is my name?', previous_response_id: first.id });

    expect(second.output_text).toBe('Your name is Ada.');
    expect(second.previous_response_id).toBe(first.id);
    const [turn1, turn2] = fakes.openai().requests.map((request) => request.body);
    expect(turn1.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'My name is Ada.' },
    ]);
    // OpenAI documents that instructions do not carry over: the follow-up sends its own, here none.
    expect(turn2.messages).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
    expect(JSON.stringify(turn2)).not.toContain('previous_response_id');
  });

  it('streamed, on Gemini 3: a tool turn follows up by id alone, its call and signature carried back from the store', async () => {
    const harness = await fakes.serve([fakes.account.gemini()]);
    const client = clientFor(harness.origin());
    fakes.gemini().queue.push({ kind: 'function-call', calls: [{ name: 'get_weather', args: { city: 'Rome' } }] }, { kind: 'ok', text: 'It is 18 °C in Rome.' }, { kind: 'ok', text: 'You asked about Rome.' });

    const first = await streamed(client, { model: 'gemini-3-pro-preview', input: 'Weather in Rome?', tools: [WEATHER_TOOL] });
    const call = first.output.find((item) => item.type === 'function_call')!;
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Rome"}' });
    // Only the tool's output is sent: Gemini 3 refuses the turn unless the call comes back signed.
    const callId = call.type === 'function_call' ? call.call_id : '';
    const second = await streamed(client, {
      model: 'gemini-3-pro-preview',
      input: [{ type: 'function_call_output', call_id: callId, output: '18 °C' }],
      previous_response_id: first.id,
      tools: [WEATHER_TOOL],
    });
    expect(textOf(second)).toBe('It is 18 °C in Rome.');
    const third = await streamed(client, { model: 'gemini-3-pro-preview', input: 'Which city was it?', previous_response_id: second.id });
    expect(textOf(third)).toBe('You asked about Rome.');

    const contents = fakes.gemini().requests.map((request) => request.body.contents);
    expect(contents).toHaveLength(3);
    expect(contents[1]).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Rome?' }] },
      { role: 'model', parts: [{ functionCall: { id: callId, name: 'get_weather', args: { city: 'Rome' } }, thoughtSignature: expect.any(String) }] },
      { role: 'user', parts: [{ functionResponse: { id: callId, name: 'get_weather', response: { result: '18 °C' } } }] },
    ]);
    expect(contents[2]).toHaveLength(5);
    expect(contents[2]!.slice(0, 3)).toEqual(contents[1]);
    expect(contents[2]!.slice(3)).toEqual([
      { role: 'model', parts: [{ text: 'It is 18 °C in Rome.' }] },
      { role: 'user', parts: [{ text: 'Which city was it?' }] },
    ]);
  });

  it('follows up on Anthropic too, streamed after non-streamed', async () => {
    const harness = await fakes.serve([fakes.account.anthropic()]);
    const client = clientFor(harness.origin());
    fakes.anthropic().queue.push({ kind: 'ok', text: 'Blue.' }, { kind: 'ok', text: 'Green.' });
    const first = await client.responses.create({ model: 'claude-sonnet-4-5', input: 'Name a colour.' });
    await streamed(client, { model: 'claude-sonnet-4-5', input: 'Another one?', previous_response_id: first.id });
    expect(fakes.anthropic().requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Name a colour.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Blue.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Another one?' }] },
    ]);
  });

  it('streamed, when the first account fails after its preamble: one response, stored with the text of the account that answered', async () => {
    const harness = await fakes.serve([
      { ...fakes.account.anthropic(), models: ['gpt-4o-mini'] },
      { ...fakes.account.openai(), models: ['gpt-4o-mini'] },
    ]);
    const client = clientFor(harness.origin());
    const sse = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    fakes.anthropic().queue.push({
      kind: 'script',
      chunks: [
        sse('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'gpt-4o-mini', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } }),
        sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      ],
    });
    fakes.openai().queue.push({ kind: 'ok', text: 'Teal.' }, { kind: 'ok', text: 'Coral.' });
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'Name a colour.', stream: true });
    const types: string[] = [];
    let completed: Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types.filter((type) => type === 'response.created')).toHaveLength(1);
    expect(textOf(completed!)).toBe('Teal.');
    expect(completed!.usage).toMatchObject({ input_tokens: 11, output_tokens: 7 });
    await client.responses.create({ model: 'gpt-4o-mini', input: 'Another one?', previous_response_id: completed!.id });
    expect(fakes.openai().requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: 'Name a colour.' },
      { role: 'assistant', content: 'Teal.' },
      { role: 'user', content: 'Another one?' },
    ]);
  });

  it('a response made with store: false cannot be followed up: a 400 that says it expired or was never stored', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    const client = clientFor(harness.origin());
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hi', store: false });
    expect(first).toMatchObject({ store: false });
    const failure = await client.responses.create({ model: 'gpt-4o-mini', input: 'Again', previous_response_id: first.id }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain(`Previous response with id '${first.id}' not found: it has expired`);
    expect(fakes.openai().requests).toHaveLength(1);
  });

  it('is bounded by responses_store_size: a response pushed out is a miss, streamed or not', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    await harness.service.updateConfig({ responses_store_size: 1 });
    const client = clientFor(harness.origin());
    const older = await client.responses.create({ model: 'gpt-4o-mini', input: 'One' });
    const newer = await streamed(client, { model: 'gpt-4o-mini', input: 'Two' });

    const failure = await client.responses.create({ model: 'gpt-4o-mini', input: 'More', previous_response_id: older.id, stream: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('expired');
    expect((failure as Error).message).toContain('responses_store_size');
    await client.responses.create({ model: 'gpt-4o-mini', input: 'More', previous_response_id: newer.id });
    expect(fakes.openai().requests.at(-1)!.body.messages.map((message: { content: string }) => message.content)).toEqual(['Two', 'Hello from the fake upstream!', 'More']);
  });

  it('with the store off (responses_store_size 0), says so and stores nothing', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    await harness.service.updateConfig({ responses_store_size: 0 });
    const client = clientFor(harness.origin());
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hi' });
    expect(first).toMatchObject({ store: false });
    const failure = await client.responses.create({ model: 'gpt-4o-mini', input: 'Again', previous_response_id: first.id }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('responses_store_size is 0');
  });
});
