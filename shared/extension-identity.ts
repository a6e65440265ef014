/**
 * The extension's fixed identity. Chromium derives the extension ID from the manifest `key`
 * (sha256 of the DER public key, first 32 hex digits mapped 0-f → a-p), so an unpacked build gets
 * the same ID on every machine and the native-host manifest can name it. Only the public key is
 * committed; nothing needs the private key.
 */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5gpjdIYuH8JdSsbY6aPlYtwC9mQSGD/prxdJg1brqHmyCRluc/+BwJKzBoqsXnquP8/r8efzowJ01pXX/vPeVDR9BnXpOW8tf2FuxLCqrf/UJ5sKcRKgRBlCrMiZgtek5USmc6KHFD/SfhhXaCf33EWaqN4APi2pGLsCuGaohypBdsKof/BDdCQSdh1pJWnsYmBnqIXOF1XI18aggi9WYoTvn8Mr39F9wWw45j/pHPe9/vUL3Q2HRhVf0k4Doeh/gFJ9r1QmoBjS4Tnbh3MnP4PAxoKnc+3+aGfvpU1/wtz2SNT6aQncrTI1hbLt/vIkQJmGlh13wjhx/nDYPwDEwIDAQAB';

/** The ID Chromium computes from {@link EXTENSION_PUBLIC_KEY} (checked by a unit test). */
export const EXTENSION_ID = 'mdondbjfkknahgioopfccablmlamlbim';

/** Firefox has no key-derived IDs; it takes the add-on ID from browser_specific_settings. */
export const FIREFOX_EXTENSION_ID = 'localgate@localgate.dev';

/** Native-messaging host name (lowercase, dots, as browsers require). */
export const NATIVE_HOST_NAME = 'dev.localgate.host';

/**
 * The ID a browser gives this extension, when it is not the built-in one (a store listing, a
 * build with another key): Chromium IDs are 32 letters a-p; Firefox add-on IDs are email-like or
 * a {GUID}. Returns what is wrong with `id`, or null.
 */
export function extensionIdProblem(firefox: boolean, id: string): string | null {
  if (firefox) {
    return /^(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[A-Za-z0-9._+-]*@[A-Za-z0-9.-]+)$/i.test(id)
      ? null
      : `--extension-id for Firefox must be an add-on ID like ${FIREFOX_EXTENSION_ID} or {GUID}`;
  }
  return /^[a-p]{32}$/.test(id) ? null : '--extension-id for a Chromium browser must be 32 letters a to p, as chrome://extensions shows it';
}
