import { describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import { isAllowedControlOrigin } from './control-access.js';

describe('control access', () => {
  it('allows no Origin, the Chrome extension and Firefox extension origins only', () => {
    expect(isAllowedControlOrigin(undefined)).toBe(true);
    expect(isAllowedControlOrigin(`chrome-extension://${EXTENSION_ID}`)).toBe(true);
    expect(isAllowedControlOrigin('moz-extension://0b9d3b9e-6c53-4e3a-9a5f-1f2a3b4c5d6e')).toBe(true);
    for (const origin of ['', 'null', 'http://evil.example', 'http://127.0.0.1', `chrome-extension://${EXTENSION_ID}.evil.example`, 'moz-extension://evil.example']) {
      expect(isAllowedControlOrigin(origin), origin).toBe(false);
    }
  });
});
