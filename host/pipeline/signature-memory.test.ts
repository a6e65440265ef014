import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../ir/ir-request.js';
import type { IrStreamEvent } from '../ir/ir-stream-event.js';
import { SignatureMemory, SignatureRecorder } from './signature-memory.js';

function request(messages: IrRequest['messages']): IrRequest {
  return { model: 'm', instructions: [], messages, tools: [], sampling: {}, stream: false, extras: {}, warnings: [] };
}

const call = (id: string) => ({ type: 'tool-call' as const, toolCallId: id, toolName: 'f', argumentsText: '{}' });

describe('SignatureMemory', () => {
  it('puts a remembered call signature back on a call the client sent without one, and keeps one it sent', () => {
    const memory = new SignatureMemory(() => 10);
    memory.rememberTurn([{ ...call('a'), signature: { family: 'gemini', value: 'sig-a' } }, call('b')]);
    const sent = request([
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', parts: [call('a'), call('b')] },
    ]);
    memory.restore(sent);
    expect(sent.messages[1]!.parts).toEqual([{ ...call('a'), signature: { family: 'gemini', value: 'sig-a' } }, call('b')]);
    const own = request([{ role: 'assistant', parts: [{ ...call('a'), signature: { family: 'gemini', value: 'client' } }] }]);
    memory.restore(own);
    expect(own.messages[0]!.parts[0]).toMatchObject({ signature: { value: 'client' } });
  });

  it('puts signed thinking first in a tool-use turn that came back with none or an unsigned copy', () => {
    const memory = new SignatureMemory(() => 10);
    const thinking = { type: 'reasoning' as const, text: 'Let me look.', signature: { family: 'anthropic' as const, value: 'EqQB' } };
    memory.rememberTurn([thinking, { type: 'text', text: 'Looking.' }, call('t1')]);
    const sent = request([{ role: 'assistant', parts: [{ type: 'reasoning', text: 'Let me look.' }, { type: 'text', text: 'Looking.' }, call('t1')] }]);
    memory.restore(sent);
    expect(sent.messages[0]!.parts).toEqual([thinking, { type: 'text', text: 'Looking.' }, call('t1')]);
  });

  it('forgets the least recently used calls beyond its size, and remembers nothing at size 0', () => {
    let size = 2;
    const memory = new SignatureMemory(() => size);
    for (const id of ['a', 'b', 'c']) memory.rememberTurn([{ ...call(id), signature: { family: 'gemini', value: id } }]);
    expect(memory.size).toBe(2);
    const sent = request([{ role: 'assistant', parts: [call('a'), call('b'), call('c')] }]);
    memory.restore(sent);
    expect(sent.messages[0]!.parts.map((part) => (part.type === 'tool-call' ? part.signature?.value : undefined))).toEqual([undefined, 'b', 'c']);
    expect(memory.enabled).toBe(true);
    size = 0;
    memory.rememberTurn([{ ...call('d'), signature: { family: 'gemini', value: 'd' } }]);
    expect(memory.size).toBe(0);
    expect(memory.enabled).toBe(false);
  });

  it('records a streamed turn when it finishes', () => {
    const memory = new SignatureMemory(() => 10);
    const recorder = new SignatureRecorder(memory);
    const events: IrStreamEvent[] = [
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'Think' },
      { type: 'reasoning-delta', id: 'r', delta: 'ing.' },
      { type: 'reasoning-signature', id: 'r', signature: { family: 'anthropic', value: 'S' } },
      { type: 'reasoning-end', id: 'r' },
      { type: 'tool-input-start', id: 't', toolCallId: 'call-1', toolName: 'f' },
      { type: 'tool-input-end', id: 't' },
      { type: 'tool-call', id: 't', toolCallId: 'call-1', toolName: 'f', argumentsText: '{}' },
    ];
    for (const event of events) recorder.observe(event);
    expect(memory.size).toBe(0);
    recorder.observe({ type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} });
    const sent = request([{ role: 'assistant', parts: [call('call-1')] }]);
    memory.restore(sent);
    expect(sent.messages[0]!.parts[0]).toEqual({ type: 'reasoning', text: 'Thinking.', signature: { family: 'anthropic', value: 'S' } });
  });
});
