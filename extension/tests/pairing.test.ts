import { describe, expect, it } from 'vitest';
import { formatPairingString, PAIRING_PROBLEMS, parsePairingString, type PairingProblem } from '../../shared/control/pairing';
import { pairingProblemText } from '../utils/error-text';

describe('pairing strings', () => {
  const seen = new Set<PairingProblem>();

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
    ['localgate-pair:ws://[oops/control#deadbeefdeadbeef', /valid URL/],
    ['localgate-pair:ws://127.0.0.1:1/control?x=1#deadbeefdeadbeef', /unexpected parts/],
  ])('rejects %s', (input, reason) => {
    const parsed = parsePairingString(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      seen.add(parsed.problem);
      expect(parsed.reason).toMatch(reason);
      // The extension words it from the problem's name; in English, exactly as shared/ does.
      expect(pairingProblemText(parsed.problem)).toBe(parsed.reason);
    }
  });

  it('the cases above cover every pairing problem the extension words', () => {
    expect([...seen].sort()).toEqual([...PAIRING_PROBLEMS].sort());
  });
});
