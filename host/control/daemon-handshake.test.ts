import { describe, expect, it } from 'vitest';
import { ClientHandshake, CONTROL_CLOSE_CODES, handshakeTranscript, proofsMatch, type AuthChallenge, type AuthProof } from '../../shared/control/handshake.js';
import { DaemonHandshake } from './daemon-handshake.js';
import { nodeHandshakeCrypto } from './node-handshake-crypto.js';

const TOKEN = 'c0ffee'.repeat(10) + 'abcd';
const PORT = 47_123;

function client(token = TOKEN, port = PORT) {
  return new ClientHandshake({ token, port, crypto: nodeHandshakeCrypto });
}

function daemon(token = TOKEN, port = PORT) {
  return new DaemonHandshake({ token, port });
}

function challengeFrom(step: ReturnType<DaemonHandshake['receive']>): AuthChallenge {
  if (!('reply' in step) || step.reply.auth !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(step)}`);
  return step.reply;
}

describe('control challenge–response', () => {
  it('lets a client and a daemon holding the same token prove it to each other', async () => {
    const alice = client();
    const server = daemon();
    const challenge = challengeFrom(server.receive(alice.hello));
    const proof = await alice.answer(challenge);
    expect(proof).toMatchObject({ auth: 'proof' });
    expect(server.receive(proof)).toEqual({ reply: { auth: 'ok' }, authenticated: true });
  });

  it('never puts the token on the wire, and uses fresh nonces each time', async () => {
    const first = client();
    const second = client();
    expect(first.hello.nonce).not.toBe(second.hello.nonce);
    const server = daemon();
    const challenge = challengeFrom(server.receive(first.hello));
    const proof = await first.answer(challenge);
    const wire = JSON.stringify([first.hello, challenge, proof]);
    expect(wire).not.toContain(TOKEN);
    expect(challengeFrom(daemon().receive(first.hello)).nonce).not.toBe(challenge.nonce);
  });

  it('keeps the client quiet when whoever holds the port cannot prove it has the token', async () => {
    // A stranger that bound the control port answers with a made-up challenge: the client sends nothing more.
    const alice = client();
    const stranger = daemon('f'.repeat(64));
    expect(await alice.answer(challengeFrom(stranger.receive(alice.hello)))).toBeUndefined();
    expect(await client().answer({ auth: 'challenge', nonce: '0'.repeat(64), proof: '0'.repeat(64) })).toBeUndefined();
    expect(await client().answer({ auth: 'ok' })).toBeUndefined();
  });

  it('refuses a client with the wrong token, closing as not paired', async () => {
    const mallory = client('e'.repeat(64));
    const server = daemon();
    // Mallory cannot check the daemon's proof either; she answers as if she could.
    const challenge = challengeFrom(server.receive(mallory.hello));
    const forged: AuthProof = { auth: 'proof', proof: nodeHandshakeCrypto.hmacHex('e'.repeat(64), handshakeTranscript('client', PORT, mallory.hello.nonce, challenge.nonce)) };
    expect(server.receive(forged)).toEqual({ close: { code: CONTROL_CLOSE_CODES.notPaired, reason: 'Not paired' } });
  });

  it('does not accept a proof recorded on another connection (replay)', async () => {
    const alice = client();
    const first = daemon();
    const recorded = await alice.answer(challengeFrom(first.receive(alice.hello)));
    // The eavesdropper replays Alice's hello and proof on a new connection: the daemon's nonce changed.
    const second = daemon();
    second.receive(alice.hello);
    expect(second.receive(recorded)).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.notPaired } });
  });

  it("does not take the daemon's own proof back as a client's (reflection)", () => {
    const server = daemon();
    const hello = client().hello;
    const challenge = challengeFrom(server.receive(hello));
    expect(server.receive({ auth: 'proof', proof: challenge.proof })).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.notPaired } });
  });

  it('fails both ways when a stranger on the advertised port relays to the real daemon on another port', async () => {
    const alice = client(TOKEN, 47_000); // dialed the port written in the pairing string
    const real = daemon(TOKEN, 47_001); // the daemon had to take another one
    const relayedChallenge = challengeFrom(real.receive(alice.hello));
    expect(await alice.answer(relayedChallenge)).toBeUndefined();
    // Even a client proof made for the advertised port does not open the real daemon.
    const proofForAdvertised = nodeHandshakeCrypto.hmacHex(TOKEN, handshakeTranscript('client', 47_000, alice.hello.nonce, relayedChallenge.nonce));
    expect(real.receive({ auth: 'proof', proof: proofForAdvertised })).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.notPaired } });
  });

  it('refuses anything out of order: a request before the hello or the proof, a second hello, a step after the end', async () => {
    expect(daemon().receive({ id: '1', type: 'proxy.status' })).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.handshakeExpected } });
    expect(daemon().receive(undefined)).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.handshakeExpected } });

    const server = daemon();
    const alice = client();
    server.receive(alice.hello);
    expect(server.receive({ id: '1', type: 'accounts.add', payload: {} })).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.handshakeExpected } });
    // Refused once, refused for good: the right proof no longer opens this connection.
    expect(server.receive(await client().answer(challengeFrom(daemon().receive(alice.hello))))).toMatchObject({ close: {} });

    const again = daemon();
    again.receive(alice.hello);
    expect(again.receive(alice.hello)).toMatchObject({ close: { code: CONTROL_CLOSE_CODES.handshakeExpected } });
  });

  it('answers only the first challenge', async () => {
    const alice = client();
    const server = daemon();
    const challenge = challengeFrom(server.receive(alice.hello));
    expect(await alice.answer(challenge)).toBeDefined();
    expect(await alice.answer(challenge)).toBeUndefined();
  });

  it('compares proofs by content and length', () => {
    const proof = 'ab'.repeat(32);
    expect(proofsMatch(proof, proof)).toBe(true);
    expect(proofsMatch(`${proof.slice(0, 63)}c`, proof)).toBe(false);
    expect(proofsMatch(proof.slice(1), proof)).toBe(false);
    expect(proofsMatch('', proof)).toBe(false);
  });
});
