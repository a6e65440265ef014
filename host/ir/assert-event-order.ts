import type { IrStreamEvent } from './ir-stream-event.js';

/**
 * Checks an IR event sequence against the stream lifecycle rules (see ir-stream-event.ts).
 * Used by codec tests the way undici's DecoratorHandler guards handler lifecycles. Returns the
 * events unchanged so it can wrap a decoder's output inline.
 */
export function assertEventOrder(events: readonly IrStreamEvent[]): readonly IrStreamEvent[] {
  const open = new Map<string, 'text' | 'reasoning' | 'tool-input'>();
  const endedToolInputs = new Set<string>();
  let finished = false;
  let started = false;
  events.forEach((event, index) => {
    const fail = (why: string): never => {
      throw new Error(`IR event #${index} (${event.type}): ${why}`);
    };
    if (finished) fail('nothing may follow finish or error');
    switch (event.type) {
      case 'response-start':
        if (started) fail('response-start twice');
        started = true;
        return;
      case 'text-start':
      case 'reasoning-start':
      case 'tool-input-start': {
        if (open.has(event.id)) fail(`block ${event.id} already open`);
        open.set(event.id, event.type === 'text-start' ? 'text' : event.type === 'reasoning-start' ? 'reasoning' : 'tool-input');
        return;
      }
      case 'text-delta':
      case 'text-citation':
      case 'text-end':
        if (open.get(event.id) !== 'text') fail(`text block ${event.id} is not open`);
        if (event.type === 'text-end') open.delete(event.id);
        return;
      case 'reasoning-delta':
      case 'reasoning-signature':
      case 'reasoning-end':
        if (open.get(event.id) !== 'reasoning') fail(`reasoning block ${event.id} is not open`);
        if (event.type === 'reasoning-end') open.delete(event.id);
        return;
      case 'tool-input-delta':
      case 'tool-input-end':
        if (open.get(event.id) !== 'tool-input') fail(`tool input ${event.id} is not open`);
        if (event.type === 'tool-input-end') {
          open.delete(event.id);
          endedToolInputs.add(event.id);
        }
        return;
      case 'tool-call':
        if (!endedToolInputs.has(event.id)) fail(`tool-call ${event.id} before its tool-input-end`);
        endedToolInputs.delete(event.id);
        return;
      case 'usage':
      case 'web-search-call':
        return;
      case 'finish':
        if (open.size > 0) fail(`finish with open blocks: ${[...open.keys()].join(', ')}`);
        if (endedToolInputs.size > 0) fail(`finish before tool-call for ${[...endedToolInputs].join(', ')}`);
        finished = true;
        return;
      case 'error':
        finished = true;
        return;
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  });
  return events;
}
