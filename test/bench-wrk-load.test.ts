import { describe, expect, it } from 'vitest';
import { parseWrk } from '../bench/wrk-load.js';

// Reports as wrk 4.1 (Debian 12) prints them with --latency: one all 2xx, one all 404.
const ALL_OK = `Running 1s test @ http://127.0.0.1:19001/v1/chat/completions
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   164.84us  110.84us   2.46ms   95.47%
    Req/Sec    12.73k     1.21k   15.62k    80.00%
  Latency Distribution
     50%  142.00us
     75%  169.00us
     90%  211.00us
     99%  599.00us
  12678 requests in 1.00s, 4.93MB read
Requests/sec:  12671.25
Transfer/sec:      4.93MB
`;
const ALL_404 = `Running 1s test @ http://127.0.0.1:19003/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.29ms    4.26ms  36.45ms   91.87%
    Req/Sec     1.87k   474.69     2.57k    70.00%
  Latency Distribution
     50%  622.00us
     75%    2.14ms
     90%    5.63ms
     99%   23.56ms
  1873 requests in 1.01s, 1.04MB read
  Non-2xx or 3xx responses: 1873
Requests/sec:   1861.59
Transfer/sec:      1.03MB
`;

describe('the bench reads wrk reports', () => {
  it('takes the totals and the latency percentiles, in ms', () => {
    expect(parseWrk(ALL_OK, 1)).toEqual({ elapsedMs: 1000, requests: 12678, errors: 0, lastError: undefined, p50Ms: 0.142, p99Ms: 0.599 });
  });

  it('counts non-2xx answers as errors, not as requests served', () => {
    const result = parseWrk(ALL_404, 1);
    expect(result).toMatchObject({ requests: 0, errors: 1873, lastError: '1873 non-2xx answers', p50Ms: 0.622, p99Ms: 23.56 });
    expect(result.elapsedMs).toBeCloseTo(1010, 6);
  });

  it('counts socket errors', () => {
    const result = parseWrk(ALL_OK.replace('  12678 requests', '  Socket errors: connect 0, read 3, write 0, timeout 2\n  12678 requests'), 1);
    expect(result).toMatchObject({ requests: 12678, errors: 5, lastError: 'Socket errors: connect 0, read 3, write 0, timeout 2' });
  });

  it('refuses a report it cannot read', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused\n', 1)).toThrow(/unreadable wrk output/);
  });
});
