import { browser } from '#imports';
import { EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../shared/extension-identity';
import { INSTALL_BROWSERS, installBrowserItem, type InstallBrowser } from '../utils/storage-items';
import { useStoredValue } from '../utils/use-stored-value';
import { CopyButton } from './CopyButton';

/**
 * The command that installs the native host for `browserName`. `ownId` is this extension's ID as
 * the browser we run in reports it: named with --extension-id when it is not the built-in one
 * (a store gives its own), so the host manifest lets exactly this install in.
 */
export function installCommand(browserName: InstallBrowser, ownId?: { id: string; firefox: boolean }): string {
  const command = `npx localgate install-native-host --browser ${browserName}`;
  if (!ownId || ownId.firefox !== (browserName === 'firefox')) return command; // a command for another browser family
  const builtIn = ownId.firefox ? FIREFOX_EXTENSION_ID : EXTENSION_ID;
  return ownId.id === builtIn ? command : `${command} --extension-id ${ownId.id}`;
}

/** This extension's ID and whether we run in Firefox (its pages are moz-extension:// URLs). */
export function runningExtension(): { id: string; firefox: boolean } {
  return { id: browser.runtime.id, firefox: browser.runtime.getURL('/').startsWith('moz-extension:') };
}

/** A best guess at the browser we run in, for the install command's default. */
export function detectBrowser(userAgent: string = globalThis.navigator?.userAgent ?? ''): InstallBrowser {
  if (/firefox\//i.test(userAgent)) return 'firefox';
  if (/edg\//i.test(userAgent)) return 'edge';
  if ((globalThis.navigator as { brave?: unknown } | undefined)?.brave) return 'brave';
  if (/chromium\//i.test(userAgent)) return 'chromium';
  return 'chrome';
}

/** Which browser (guessed, changeable, remembered) and the exact install command for it, with Copy. */
export function InstallCommand() {
  const stored = useStoredValue(installBrowserItem);
  const browserName = stored ?? detectBrowser();
  const command = installCommand(browserName, runningExtension());
  return (
    <>
      <div class="field">
        <label for="install-browser">Browser</label>
        <select id="install-browser" value={browserName} onChange={(e) => void installBrowserItem.setValue(e.currentTarget.value as InstallBrowser)}>
          {INSTALL_BROWSERS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div class="command">
        <code id="install-command">{command}</code>
        <CopyButton id="copy-install-command" text={command} />
      </div>
    </>
  );
}
