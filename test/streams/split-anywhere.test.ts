import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../host/ir/assert-event-order.js';
import type { IrStreamEvent } from '../../host/ir/ir-stream-event.js';
import { UPSTREAM_CODECS } from '../../host/pipeline/codecs.js';
import { meaningOfClientStream, type ClientWire } from './corpus/client-meaning.js';
import { clientStreamEncoder } from './corpus/client-requests.js';
import { STREAM_CORPUS, expectedMeaning, meaningOfIrEvents, wireBytes, type StreamFixture, type WireForm } from './corpus/index.js';

/**
 * The network may split a provider's stream anywhere: mid-line, mid-JSON, inside a UTF-8
 * character (the fixtures carry "héllo 世界 🙂"-style text). At the codec level, for every fixture,
 * every upstream form and every client protocol: the bytes cut at random offsets go through
 * StreamDecoder.push piece by piece → IR events → the client's StreamEncoder, and both the IR
 * and the client's stream must mean exactly the fixture's expected answer.
 * (The end-to-end variant through the proxy is in shape-corpus.test.ts.)
 */
const BYTE_BY_BYTE_LIMIT = 16 * 1024;

const CLIENT_WIRES: ClientWire[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini-sse', 'gemini-json-array'];

function formsOf(fixture: StreamFixture): WireForm[] {
  return fixture.family === 'gemini' ? ['sse', 'json-array'] : ['sse'];
}

/** Decodes `bytes` cut at `cuts` and encodes every event at once for `wire`, as relay-translated.ts does. */
function translateInPieces(fixture: StreamFixture, bytes: Buffer, cuts: readonly number[], wire: ClientWire): { events: IrStreamEvent[]; clientText: string } {
  const decoder = UPSTREAM_CODECS[fixture.family].createStreamDecoder();
  const encoder = clientStreamEncoder(wire);
  const events: IrStreamEvent[] = [];
  let clientText = '';
  const take = (batch: IrStreamEvent[]) => {
    events.push(...batch);
    for (const event of batch) clientText += encoder.push(event);
  };
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    take(decoder.push(bytes.subarray(start, cut)));
    start = cut;
  }
  take(decoder.push(bytes.subarray(start)));
  take(decoder.end());
  clientText += encoder.end();
  return { events, clientText };
}

function expectSameMeaning(fixture: StreamFixture, result: { events: IrStreamEvent[]; clientText: string }, wire: ClientWire): void {
  assertEventOrder(result.events);
  const { ended, ...meaning } = meaningOfIrEvents(result.events);
  expect(ended).toBe('finish');
  expect(meaning).toEqual(expectedMeaning(fixture));
  expect(meaningOfClientStream(wire, result.clientText)).toEqual(expectedMeaning(fixture));
}

describe('a provider stream split at any byte means the same to every client (codec level)', () => {
  for (const fixture of STREAM_CORPUS) {
    for (const form of formsOf(fixture)) {
      const bytes = wireBytes(fixture, form);
      for (const wire of CLIENT_WIRES) {
        describe(`${fixture.name} [${form}] → ${wire}`, () => {
          it('whole, and one byte at a time', () => {
            expectSameMeaning(fixture, translateInPieces(fixture, bytes, [], wire), wire);
            // Byte by byte only for stream-sized fixtures: nothing sends 100 KB one byte per read.
            if (bytes.length > BYTE_BY_BYTE_LIMIT) return;
            const everyByte = Array.from({ length: bytes.length - 1 }, (_, index) => index + 1);
            expectSameMeaning(fixture, translateInPieces(fixture, bytes, everyByte, wire), wire);
          });

          it('cut at random offsets', () => {
            fc.assert(
              fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 16 }), (cuts) => {
                expectSameMeaning(fixture, translateInPieces(fixture, bytes, cuts, wire), wire);
              }),
              { numRuns: 40 },
            );
          });
        });
      }
    }
  }
});
