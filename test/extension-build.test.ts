import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_PUBLIC_KEY, FIREFOX_EXTENSION_ID } from '../shared/extension-identity.js';
import { REPO_ROOT } from './e2e/chromium.js';

/** The built manifests (npm test builds both targets first). */
function manifest(target: string): any {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, '.output', target, 'manifest.json'), 'utf8'));
}

describe('extension builds', () => {
  it('Chromium MV3: fixed key (so the native host can name our ID), native messaging, popup and worker', () => {
    const chrome = manifest('chrome-mv3');
    expect(chrome.manifest_version).toBe(3);
    expect(chrome.key).toBe(EXTENSION_PUBLIC_KEY);
    expect(chrome.permissions).toEqual(expect.arrayContaining(['nativeMessaging', 'storage']));
    expect(chrome.action.default_popup).toBe('popup.html');
    expect(chrome.background.service_worker).toBe('background.js');
  });

  it('Chromium MV3: "Allow this site" reads the tab with activeTab only (no broad host access); settings on an options page', () => {
    const chrome = manifest('chrome-mv3');
    expect(chrome.permissions).toContain('activeTab');
    expect(chrome.permissions).not.toContain('tabs');
    expect(chrome.host_permissions ?? []).toEqual([]);
    expect(chrome.options_ui).toEqual({ page: 'options.html', open_in_tab: true });
  });

  it.each(['chrome-mv3', 'firefox-mv2'])('%s: name and description from _locales (English default, Russian, Simplified Chinese)', (target) => {
    const built = manifest(target);
    expect(built.default_locale).toBe('en');
    expect(built.name).toBe('__MSG_extName__');
    expect(built.description).toBe('__MSG_extDescription__');
    for (const locale of ['en', 'ru', 'zh_CN']) expect(existsSync(path.join(REPO_ROOT, '.output', target, '_locales', locale, 'messages.json')), locale).toBe(true);
  });

  it('Firefox: the add-on id the native host manifest allows, and no Chromium key', () => {
    const firefox = manifest('firefox-mv2');
    expect(firefox.browser_specific_settings.gecko.id).toBe(FIREFOX_EXTENSION_ID);
    expect(firefox.key).toBeUndefined();
    expect(firefox.permissions).toEqual(expect.arrayContaining(['nativeMessaging', 'storage']));
    expect(firefox.browser_action.default_popup).toBe('popup.html');
  });
});
