import type { HandshakeCrypto } from '../../shared/control/handshake';

const encoder = new TextEncoder();

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The control handshake's primitives from WebCrypto, which a service worker has (node:crypto it has not). */
export const webCryptoHandshake: HandshakeCrypto = {
  async hmacHex(key, message) {
    const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message))));
  },
  randomNonce() {
    return toHex(crypto.getRandomValues(new Uint8Array(32)));
  },
};
