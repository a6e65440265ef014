import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { EXTENSION_PUBLIC_KEY, FIREFOX_EXTENSION_ID } from './shared/extension-identity';

const ICONS = { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' };

// See ../shared/docs/style-anchors.md §4: everything lives under extension/, imports are explicit.
// One code base serves Chromium and Firefox: `browser` comes from webextension-polyfill (the
// module aliases `wxt/browser`), and the manifest is a function of the target browser.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    // Text comes from extension/public/_locales (English, Russian, Simplified Chinese).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // activeTab: the popup reads the current tab's URL (for "Allow this site") only when the user opens it.
    permissions: ['nativeMessaging', 'storage', 'activeTab'],
    icons: ICONS,
    action: { default_title: '__MSG_extName__', default_icon: ICONS },
    ...(browser === 'firefox'
      ? // Firefox has no key-derived IDs: the add-on ID names the extension in the native-host manifest.
        {
          browser_specific_settings: {
            gecko: {
              id: FIREFOX_EXTENSION_ID,
              strict_min_version: '115.0',
              // Nothing leaves the machine: the extension only talks to the local daemon.
              data_collection_permissions: { required: ['none'] },
            },
          },
          // WXT turns `action` into MV2's browser_action but keeps only title and popup.
          browser_action: { default_title: '__MSG_extName__', default_icon: ICONS },
        }
      : // Chromium: the public key pins the extension ID (see shared/extension-identity.ts).
        { key: EXTENSION_PUBLIC_KEY }),
  }),
});
