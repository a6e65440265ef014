import { render } from 'preact';
import { browser } from '#imports';
import { siteOriginOf, targetPageUrl } from '../../utils/active-site';
import { connectToBackground } from '../../utils/background-client';
import { localizeDocument } from '../../utils/i18n';
import { App } from './App';
import '../../assets/base.css';
import './style.css';

localizeDocument(document, 'extName');
const client = connectToBackground();
// The toolbar popup closes by itself when a new tab takes focus.
const openMonitor = () => void browser.tabs.create({ url: browser.runtime.getURL('/monitor.html') });
const openSettings = () => void browser.runtime.openOptionsPage();

// No URL (no activeTab grant, or a tab we may not read) simply means no "Allow this site".
void targetPageUrl(location.search)
  .catch(() => undefined)
  .then((url) =>
    render(
      <App client={client} siteOrigin={siteOriginOf(url)} openMonitor={openMonitor} openSettings={openSettings} />,
      document.getElementById('app')!,
    ),
  );
