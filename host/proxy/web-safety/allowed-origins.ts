import { effectiveAuthMode, type ProxyConfig } from '../../../shared/config.js';
import { EXTENSION_ID } from '../../../shared/extension-identity.js';
import { isLoopbackHost } from './allowed-hosts.js';

const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

/**
 * Deny by default: a browser origin may call the proxy only if it is our extension, a page served
 * from this machine's loopback, or listed in `cors_allowed_origins` (`*` counts only while auth is
 * on, so a key still stands between a random page and the user's accounts).
 */
export function isAllowedOrigin(origin: string, config: Pick<ProxyConfig, 'cors_allowed_origins' | 'auth_mode' | 'allow_lan_access'>): boolean {
  if (origin === EXTENSION_ORIGIN) return true;
  if (config.cors_allowed_origins.includes(origin)) return true;
  if (config.cors_allowed_origins.includes('*') && effectiveAuthMode(config) !== 'off') return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}
