import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/** One entry of a Chrome `messages.json`. */
export interface CatalogEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type Catalog = Record<string, CatalogEntry>;

// A path, not a URL: under happy-dom `URL` is the DOM's.
const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../public/_locales');

/** The locale folders shipped (`en`, `ru`, `zh_CN`). */
export function shippedLocales(): string[] {
  return readdirSync(LOCALES_DIR).sort();
}

/** A shipped messages file, read as the browser reads it. */
export function readCatalog(locale: string): Catalog {
  return JSON.parse(readFileSync(path.join(LOCALES_DIR, locale, 'messages.json'), 'utf8')) as Catalog;
}

/**
 * `i18n.getMessage` as Chrome implements it over one messages file: `$NAME$` (any case) becomes
 * its placeholder's content, `$1`…`$9` in that content the substitutions, `$$` a dollar sign; an
 * unknown name gives ''.
 */
export function getMessageFrom(catalog: Catalog): (name: string, substitutions?: string | string[]) => string {
  return (name, substitutions = []) => {
    const entry = catalog[name];
    if (!entry) return '';
    const values = typeof substitutions === 'string' ? [substitutions] : substitutions;
    const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([key, value]) => [key.toLowerCase(), value.content]));
    const positional = (text: string) => text.replace(/\$(\d)/g, (_, digit: string) => values[Number(digit) - 1] ?? '');
    return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (match, placeholder?: string) => {
      if (match === '$$') return '$';
      const content = placeholders.get(placeholder!.toLowerCase());
      return content === undefined ? match : positional(content);
    });
  };
}

/**
 * Serves the extension's text from `locale`'s messages file, falling back to English per message
 * as the browser does, with `uiLanguage` as the browser's UI language (for Intl).
 */
export function useLocale(locale: string, uiLanguage: string): void {
  const own = getMessageFrom(readCatalog(locale));
  const english = getMessageFrom(readCatalog('en'));
  const i18n = fakeBrowser.i18n as unknown as { getMessage: typeof own; getUILanguage(): string };
  i18n.getMessage = (name, substitutions) => own(name, substitutions) || english(name, substitutions);
  i18n.getUILanguage = () => uiLanguage;
}
