import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { ToolCallTracker, type ToolCallDeltaInput } from './tool-call-tracker.js';

function run(deltas: ToolCallDeltaInput[]): { events: IrStreamEvent[]; beforeFinish: IrStreamEvent[]; dropped: number } {
  let generated = 0;
  const tracker = new ToolCallTracker({ generateId: () => `generated_${generated++}` });
  const events: IrStreamEvent[] = [];
  deltas.forEach((delta) => tracker.push(delta, events));
  const beforeFinish = [...events];
  const { droppedNameless } = tracker.finish(events);
  return { events, beforeFinish, dropped: droppedNameless };
}

const calls = (events: IrStreamEvent[]) => events.filter((event) => event.type === 'tool-call');

describe('ToolCallTracker', () => {
  it('forwards argument pieces as soon as id and name are known, and completes only in finish()', () => {
    const { events, beforeFinish } = run([
      { index: 0, id: 'call_1', name: 'get_weather', arguments: '' },
      { index: 0, arguments: '{"city":' },
      { index: 0, arguments: '"Paris"}' },
    ]);
    expect(beforeFinish).toEqual([
      { type: 'tool-input-start', id: 'tool-0', toolCallId: 'call_1', toolName: 'get_weather' },
      { type: 'tool-input-delta', id: 'tool-0', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'tool-0', delta: '"Paris"}' },
    ]);
    // Already parsable JSON, still not completed before the end.
    expect(calls(beforeFinish)).toEqual([]);
    expect(calls(events)).toEqual([{ type: 'tool-call', id: 'tool-0', toolCallId: 'call_1', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' }]);
    assertEventOrder(events);
  });

  it('buffers pieces that arrive before the id and name, then sends them in one delta', () => {
    const { events } = run([
      { index: 0, arguments: '{"q":' },
      { index: 0, arguments: ' "x"' },
      { index: 0, id: 'call_late', name: 'search' },
      { index: 0, arguments: '}' },
    ]);
    expect(events.slice(0, 3)).toEqual([
      { type: 'tool-input-start', id: 'tool-0', toolCallId: 'call_late', toolName: 'search' },
      { type: 'tool-input-delta', id: 'tool-0', delta: '{"q": "x"' },
      { type: 'tool-input-delta', id: 'tool-0', delta: '}' },
    ]);
    expect(calls(events)[0]).toMatchObject({ toolCallId: 'call_late', argumentsText: '{"q": "x"}' });
    assertEventOrder(events);
  });

  it('keeps parallel calls interleaved by index apart', () => {
    const { events } = run([
      { index: 0, id: 'a', name: 'f', arguments: '' },
      { index: 1, id: 'b', name: 'g', arguments: '' },
      { index: 1, arguments: '{"y":2}' },
      { index: 0, arguments: '{"x":1}' },
    ]);
    expect(calls(events).map((event) => event.type === 'tool-call' && [event.toolCallId, event.toolName, event.argumentsText])).toEqual([
      ['a', 'f', '{"x":1}'],
      ['b', 'g', '{"y":2}'],
    ]);
    assertEventOrder(events);
  });

  it('matches by id when the index is missing, and falls back to the latest call', () => {
    const { events } = run([
      { id: 'a', name: 'f', arguments: '{"x"' },
      { id: 'b', name: 'g', arguments: '{"y"' },
      { id: 'a', arguments: ':1}' },
      { arguments: ':2}' },
    ]);
    expect(calls(events).map((event) => event.type === 'tool-call' && event.argumentsText)).toEqual(['{"x":1}', '{"y":2}']);
    assertEventOrder(events);
  });

  it('starts a new call when a server reuses index 0 with a new id', () => {
    const { events } = run([
      { index: 0, id: 'a', name: 'f', arguments: '{}' },
      { index: 0, id: 'b', name: 'g', arguments: '{"z":true}' },
    ]);
    expect(calls(events).map((event) => event.type === 'tool-call' && event.toolCallId)).toEqual(['a', 'b']);
  });

  it("uses '{}' only when no arguments were ever sent", () => {
    const { events } = run([{ index: 0, id: 'a', name: 'now', arguments: '' }]);
    expect(events).toContainEqual({ type: 'tool-input-delta', id: 'tool-0', delta: '{}' });
    expect(calls(events)[0]).toMatchObject({ argumentsText: '{}' });
  });

  it('never replaces sent arguments, even when they are not valid JSON', () => {
    const { events } = run([{ index: 0, id: 'a', name: 'f', arguments: '{"truncated' }]);
    expect(calls(events)[0]).toMatchObject({ argumentsText: '{"truncated' });
  });

  it('gives a call whose id never came a generated one, and reports calls that never got a name', () => {
    const named = run([{ index: 0, name: 'f', arguments: '{"a":1}' }]);
    expect(calls(named.events)[0]).toMatchObject({ toolCallId: 'generated_0', toolName: 'f', argumentsText: '{"a":1}' });
    assertEventOrder(named.events);
    const nameless = run([{ index: 0, id: 'x', arguments: '{}' }]);
    expect(nameless.dropped).toBe(1);
    expect(calls(nameless.events)).toEqual([]);
  });
});
