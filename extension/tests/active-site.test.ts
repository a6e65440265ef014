import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isOriginAllowed, siteOriginOf, targetTabUrl } from '../utils/active-site';

describe('siteOriginOf', () => {
  it('gives the origin of a web page', () => {
    expect(siteOriginOf('https://chat.example.app/c/123?x=1#top')).toBe('https://chat.example.app');
    expect(siteOriginOf('http://tool.test:5173/')).toBe('http://tool.test:5173');
  });

  it('offers nothing for pages that are not web pages or that the proxy already accepts (loopback)', () => {
    for (const url of [undefined, '', 'chrome://extensions/', 'chrome-extension://abc/popup.html', 'file:///tmp/a.html', 'about:blank', 'http://localhost:3000/', 'http://127.0.0.1:8080/', 'http://[::1]:8080/', 'http://app.localhost/']) {
      expect(siteOriginOf(url), String(url)).toBeNull();
    }
  });
});

describe('isOriginAllowed', () => {
  it('listed, or everything with "*"', () => {
    expect(isOriginAllowed('https://a.app', ['https://a.app'])).toBe(true);
    expect(isOriginAllowed('https://a.app', ['*'])).toBe(true);
    expect(isOriginAllowed('https://a.app', ['https://b.app'])).toBe(false);
  });
});

describe('targetTabUrl', () => {
  beforeEach(() => fakeBrowser.reset());

  it('the active tab of the current window, or the tab named by ?tab=', async () => {
    // The fake browser keeps no notion of a focused window: answer as Chromium does.
    const query = vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 7, url: 'https://two.example/page' } as never]);
    const get = vi.spyOn(fakeBrowser.tabs, 'get').mockResolvedValue({ id: 3, url: 'https://one.example/' } as never);
    expect(await targetTabUrl('')).toBe('https://two.example/page');
    expect(query).toHaveBeenCalledWith({ active: true, currentWindow: true });
    expect(await targetTabUrl('?tab=3')).toBe('https://one.example/');
    expect(get).toHaveBeenCalledWith(3);
    expect(await targetTabUrl('?tab=junk')).toBe('https://two.example/page');
  });
});
