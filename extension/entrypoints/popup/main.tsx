import { render } from 'preact';
import { browser } from '#imports';
import { connectToBackground } from '../../utils/background-client';
import { App } from './App';
import '../../assets/base.css';
import './style.css';

const client = connectToBackground();
const openMonitor = () => {
  // The toolbar popup closes by itself when the new tab takes focus.
  void browser.tabs.create({ url: browser.runtime.getURL('/monitor.html') });
};

render(<App client={client} openMonitor={openMonitor} />, document.getElementById('app')!);
