import { describe, expect, it } from 'vitest';
import { formatPairingString, parsePairingString } from '../../shared/control/pairing';

describe('pairing strings', () => {
  it('round-trips', () => {
    const pairing = { url: 'ws://127.0.0.1:47001/control', token: 'deadbeefdeadbeef' };
    expect(parsePairingString(`  ${formatPairingString(pairing)}\n`)).toEqual({ ok: true, pairing });
  });

  it.each([
    ['ws://127.0.0.1:1/control#deadbeefdeadbeef', /starts with/],
    ['localgate-pair:ws://127.0.0.1:1/control', /no token/],
    ['localgate-pair:ws://127.0.0.1:1/control#short', /malformed/],
    ['localgate-pair:http://127.0.0.1:1/control#deadbeefdeadbeef', /ws:\/\//],
    ['localgate-pair:ws://example.com:1/control#deadbeefdeadbeef', /this computer/],
    ['localgate-pair:ws://127.0.0.1/control#deadbeefdeadbeef', /no port/],
    ['localgate-pair:ws://127.0.0.1:1/other#deadbeefdeadbeef', /\/control/],
  ])('rejects %s', (input, reason) => {
    const parsed = parsePairingString(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
