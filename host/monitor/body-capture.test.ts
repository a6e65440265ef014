import { describe, expect, it } from 'vitest';
import { BodyCapture, cutUtf8 } from './body-capture.js';

describe('BodyCapture', () => {
  it('keeps the first `limit` bytes across chunks and says whether it cut', () => {
    const capture = new BodyCapture(10);
    capture.push(Buffer.from('data: '));
    expect(capture.truncated).toBe(false);
    capture.push('{"a":1}\n');
    capture.push(Buffer.from('more that is never copied'));
    expect(capture.text()).toBe('data: {"a"');
    expect(capture.truncated).toBe(true);
  });

  it('is not truncated when the body fits exactly', () => {
    const capture = new BodyCapture(4);
    capture.push('ab');
    capture.push(Buffer.from('cd'));
    capture.push('');
    expect(capture.text()).toBe('abcd');
    expect(capture.truncated).toBe(false);
  });

  it('drops a character cut in half at the limit instead of mangling it', () => {
    // "é" is two bytes: a 6-byte limit ends inside the third one.
    expect(cutUtf8('ééé', 5)).toEqual({ text: 'éé', truncated: true });
    expect(cutUtf8('ééé', 6)).toEqual({ text: 'ééé', truncated: false });
    expect(cutUtf8('日本語', 4)).toEqual({ text: '日', truncated: true });
  });

  it('copies what it keeps: later changes to a pushed buffer do not show', () => {
    const chunk = Buffer.from('hello');
    const capture = new BodyCapture(100);
    capture.push(chunk);
    chunk.fill(0);
    expect(capture.text()).toBe('hello');
  });
});
