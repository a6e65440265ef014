import { timingSafeEqual } from 'node:crypto';
import {
  AuthHelloSchema,
  AuthProofSchema,
  CONTROL_CLOSE_CODES,
  handshakeTranscript,
  type AuthAccepted,
  type AuthChallenge,
} from '../../shared/control/handshake.js';
import { nodeHandshakeCrypto } from './node-handshake-crypto.js';

/** One step of the daemon's side: what to send back, and whether to close the connection (and why). */
export type DaemonHandshakeStep =
  | { reply: AuthChallenge | AuthAccepted; authenticated: boolean }
  | { close: { code: number; reason: string } };

/**
 * The daemon's side of one connection's handshake (shared/control/handshake.ts). It is fed every
 * message that arrives before the client proved itself, synchronously, so a request pipelined
 * right behind the proof is judged after the proof. Anything out of order ends the connection:
 * the handshake runs once, its nonce is never reused.
 */
export class DaemonHandshake {
  readonly #token: string;
  readonly #port: number;
  #clientNonce: string | undefined;
  #daemonNonce: string | undefined;
  #finished = false;

  constructor(options: { token: string; port: number }) {
    this.#token = options.token;
    this.#port = options.port;
  }

  receive(raw: unknown): DaemonHandshakeStep {
    if (this.#finished) return refuse(CONTROL_CLOSE_CODES.handshakeExpected, 'The handshake already ended');
    if (this.#daemonNonce === undefined) {
      const hello = AuthHelloSchema.safeParse(raw);
      if (!hello.success) return this.#fail(CONTROL_CLOSE_CODES.handshakeExpected, 'Expected the handshake hello');
      this.#clientNonce = hello.data.nonce;
      this.#daemonNonce = nodeHandshakeCrypto.randomNonce();
      const proof = this.#sign('daemon');
      return { reply: { auth: 'challenge', nonce: this.#daemonNonce, proof }, authenticated: false };
    }
    const proof = AuthProofSchema.safeParse(raw);
    if (!proof.success) return this.#fail(CONTROL_CLOSE_CODES.handshakeExpected, 'Expected the handshake proof');
    this.#finished = true;
    const expected = Buffer.from(this.#sign('client'), 'hex');
    if (!timingSafeEqual(Buffer.from(proof.data.proof, 'hex'), expected)) return refuse(CONTROL_CLOSE_CODES.notPaired, 'Not paired');
    return { reply: { auth: 'ok' }, authenticated: true };
  }

  #sign(role: 'daemon' | 'client'): string {
    return nodeHandshakeCrypto.hmacHex(this.#token, handshakeTranscript(role, this.#port, this.#clientNonce!, this.#daemonNonce!));
  }

  #fail(code: number, reason: string): DaemonHandshakeStep {
    this.#finished = true;
    return refuse(code, reason);
  }
}

function refuse(code: number, reason: string): DaemonHandshakeStep {
  return { close: { code, reason } };
}
