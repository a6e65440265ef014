import { beforeEach } from 'vitest';
import { useLocale } from './i18n-shim';

// WXT's fake browser has no i18n: every extension test reads the real English messages file, in
// Chromium's default UI language; a test of another language switches with useLocale().
beforeEach(() => useLocale('en', 'en-US'));
