import { describe, expect, it } from 'vitest';
import { aspectRatioForSize } from './aspect-ratio.js';

describe('aspectRatioForSize', () => {
  it.each([
    ['1024x1024', '1:1'],
    ['256x256', '1:1'],
    ['1536x1024', '3:2'],
    ['1024x1536', '2:3'],
    ['1792x1024', '16:9'],
    ['1024x1792', '9:16'],
    ['2520x1080', '21:9'],
    ['1280x1024', '5:4'],
  ])('%s → %s', (size, ratio) => {
    expect(aspectRatioForSize(size)).toBe(ratio);
  });

  it('leaves auto, no size and nonsense to the model', () => {
    expect(aspectRatioForSize('auto')).toBeUndefined();
    expect(aspectRatioForSize(undefined)).toBeUndefined();
    expect(aspectRatioForSize('0x100')).toBeUndefined();
    expect(aspectRatioForSize('big')).toBeUndefined();
  });
});
