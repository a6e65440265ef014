import { useBackground } from '../../../components/BackgroundContext';
import { CopyButton } from '../../../components/CopyButton';
import { PairingForm } from '../../../components/PairingForm';
import { t, tParts } from '../../../utils/i18n';
import { INSTALL_BROWSERS, installBrowserItem, type InstallBrowser } from '../../../utils/storage-items';
import { useStoredValue } from '../../../utils/use-stored-value';

export const PAIR_COMMAND = 'npx localgate pair';

export function installCommand(browserName: InstallBrowser): string {
  return `npx localgate install-native-host --browser ${browserName}`;
}

/** A best guess at the browser we run in, for the install command's default. */
export function detectBrowser(userAgent: string = globalThis.navigator?.userAgent ?? ''): InstallBrowser {
  if (/firefox\//i.test(userAgent)) return 'firefox';
  if (/edg\//i.test(userAgent)) return 'edge';
  if ((globalThis.navigator as { brave?: unknown } | undefined)?.brave) return 'brave';
  if (/chromium\//i.test(userAgent)) return 'chromium';
  return 'chrome';
}

/** Shown when the browser has no native host for us and no pairing is stored. */
export function NativeHostMissing({ onConnected }: { onConnected(): void }) {
  const client = useBackground();
  const stored = useStoredValue(installBrowserItem);
  const browserName = stored ?? detectBrowser();
  const command = installCommand(browserName);

  return (
    <section id="native-host-missing" class="card missing" aria-labelledby="missing-title">
      <h1 id="missing-title">{t('connectTitle')}</h1>
      <p>{t('nativeHostNotInstalled')}</p>
      <div class="field">
        <label for="install-browser">{t('browserLabel')}</label>
        <select
          id="install-browser"
          value={browserName}
          onChange={(e) => void installBrowserItem.setValue(e.currentTarget.value as InstallBrowser)}
        >
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
      <button
        id="retry-native"
        type="button"
        class="primary"
        onClick={async () => {
          await client.request('connection.retry');
          onConnected();
        }}
      >
        {t('installedConnect')}
      </button>
      <hr />
      <h2>{t('orPairTitle')}</h2>
      <p class="muted">{tParts('pairHint', { command: <code>{PAIR_COMMAND}</code> })}</p>
      <PairingForm onPaired={onConnected} />
    </section>
  );
}
