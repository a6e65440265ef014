import { render } from 'preact';
import { browser } from '#imports';
import { siteOriginOf, targetPageUrl } from '../../utils/active-site';
import type { BackgroundClient } from '../../utils/background-client';
import type { DaemonSnapshot } from '../../utils/daemon-snapshot';
import { localizeDocument } from '../../utils/i18n';
import { App } from './App';

/** Renders the popup (main.tsx has already asked the background for what it shows first). */
export async function showPopup(client: BackgroundClient, firstSnapshot: DaemonSnapshot): Promise<void> {
  localizeDocument(document, 'extName');
  // The toolbar popup closes by itself when a new tab takes focus.
  const openMonitor = () => void browser.tabs.create({ url: browser.runtime.getURL('/monitor.html') });
  const openSettings = () => void browser.runtime.openOptionsPage();
  // No URL (no activeTab grant, or a tab we may not read) simply means no "Allow this site".
  const url = await targetPageUrl(location.search).catch(() => undefined);
  render(
    <App client={client} firstSnapshot={firstSnapshot} siteOrigin={siteOriginOf(url)} openMonitor={openMonitor} openSettings={openSettings} />,
    document.getElementById('app')!,
  );
}
