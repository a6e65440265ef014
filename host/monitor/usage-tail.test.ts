import { describe, expect, it } from 'vitest';
import { UsageTail } from './usage-tail.js';

const tail = (...chunks: string[]): UsageTail => {
  const usage = new UsageTail();
  for (const chunk of chunks) usage.push(Buffer.from(chunk));
  return usage;
};

describe('UsageTail', () => {
  it('reads each family’s token counts from a JSON answer', () => {
    expect(tail('{"id":"x","usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}').usage()).toEqual({ tokensIn: 9, tokensOut: 12 });
    expect(tail('{"type":"message","usage":{"input_tokens": 7 ,\n "output_tokens" :\t3}}').usage()).toEqual({ tokensIn: 7, tokensOut: 3 });
    expect(tail('{"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":5}}').usage()).toEqual({ tokensIn: 4, tokensOut: 5 });
  });

  it('takes the last count a stream reports, across chunks', () => {
    const usage = tail('data: {"message":{"usage":{"input_tokens":10,"output_tokens":1}}}\n\n', 'data: {"usage":{"output_tok', 'ens":42}}\n\n');
    expect(usage.usage()).toEqual({ tokensIn: 10, tokensOut: 42 });
  });

  it('skips a key without a number after it and keeps looking before it', () => {
    expect(tail('{"usage":{"prompt_tokens":5,"completion_tokens":6}} {"usage":{"prompt_tokens":null,"completion_tokens":"n/a"}}').usage()).toEqual({ tokensIn: 5, tokensOut: 6 });
  });

  it('says nothing when the answer carries no usage', () => {
    expect(tail('{"choices":[]}').usage()).toEqual({});
    expect(tail('"prompt_tokens"').usage()).toEqual({});
  });
});
