import { browser } from '#imports';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin "Allow this site" would add for a tab's URL, or null when there is nothing to offer:
 * not a web page (chrome://, the extension itself, file:), or a loopback page, which the proxy
 * accepts without being listed.
 */
export function siteOriginOf(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (LOOPBACK_HOSTS.has(parsed.hostname) || parsed.hostname.endsWith('.localhost')) return null;
  return parsed.origin;
}

/** Whether the proxy already lets `origin` call it. */
export function isOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes(origin) || allowed.includes('*');
}

/**
 * The URL of the tab the popup acts on. Opened from the toolbar, that is the active tab of the
 * current window, readable thanks to `activeTab` (granted by the click, for that tab only). The
 * popup can also be opened in a tab of its own as `popup.html?tab=<id>`, naming the tab it acts on.
 */
export async function targetTabUrl(search: string): Promise<string | undefined> {
  const named = Number(new URLSearchParams(search).get('tab'));
  if (Number.isInteger(named) && named > 0) return (await browser.tabs.get(named)).url;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.url;
}
