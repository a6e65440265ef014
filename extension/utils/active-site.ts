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
 * The URL of the page the popup acts on: the active tab of the current window, readable thanks to
 * `activeTab` (granted by the user's click on the icon, for that tab only). `popup.html?site=<url>`
 * names the page instead: the browser end-to-end test's way in, since headless Chromium cannot make
 * the gesture that grants activeTab (chrome.action.openPopup() and the action's keyboard shortcut
 * do not). Either way the origin is only offered; adding it takes the user's click.
 */
export async function targetPageUrl(search: string): Promise<string | undefined> {
  const named = new URLSearchParams(search).get('site');
  if (named) return named;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.url;
}
