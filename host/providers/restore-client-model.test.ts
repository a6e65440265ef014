import { describe, expect, it } from 'vitest';
import { restoreClientModel } from './restore-client-model.js';

const START = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[]}}\n\n';
const text = (buffers: Buffer[]) => Buffer.concat(buffers).toString('utf8');

describe('restoreClientModel', () => {
  it('puts the client’s model name back into message_start, the rest byte for byte', () => {
    const restored = text(restoreClientModel([Buffer.from(START)], 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'));
    expect(restored).toBe(START.replace('claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'));
  });

  it('finds the name across the held chunks, even when a chunk ends mid-character', () => {
    const bytes = Buffer.from(`${START}event: content_block_delta\ndata: {"delta":{"text":"é"}}\n\n`);
    const cutInName = START.indexOf('sonnet');
    const cutInCharacter = bytes.indexOf(Buffer.from('é')) + 1;
    const head = [bytes.subarray(0, cutInName), bytes.subarray(cutInName, cutInCharacter), bytes.subarray(cutInCharacter)];
    const restored = text(restoreClientModel(head, 'claude-sonnet-4-5-20250929', 'my-alias'));
    expect(restored).toContain('"model":"my-alias"');
    expect(restored).toContain('"text":"é"');
  });

  it('accepts a space after the colon, and only changes the first occurrence', () => {
    const spaced = '{"model": "up", "content": [{"text": "\\"model\\": \\"up\\""}]}';
    expect(text(restoreClientModel([Buffer.from(spaced)], 'up', 'client'))).toBe(spaced.replace('"model": "up"', '"model": "client"'));
  });

  it('leaves the head alone when the upstream named another model, or nothing was mapped', () => {
    const head = [Buffer.from(START)];
    expect(text(restoreClientModel(head, 'claude-opus-4-1', 'x'))).toBe(START);
    expect(text(restoreClientModel(head, 'same', 'same'))).toBe(START);
  });
});
