import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isOriginAllowed, siteOriginOf, targetPageUrl } from '../utils/active-site';

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

describe('targetPageUrl', () => {
  beforeEach(() => fakeBrowser.reset());

  it('the active tab of the current window, or the page named by ?site=', async () => {
    // The fake browser keeps no notion of a focused window: answer as Chromium does.
    const query = vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 7, url: 'https://two.example/page' } as never]);
    expect(await targetPageUrl('')).toBe('https://two.example/page');
    expect(query).toHaveBeenCalledWith({ active: true, currentWindow: true });
    expect(await targetPageUrl('?site=https%3A%2F%2Fone.example%2Fchat')).toBe('https://one.example/chat');
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('no readable active tab (no activeTab grant): nothing', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 7 } as never]);
    expect(siteOriginOf(await targetPageUrl(''))).toBeNull();
  });
});
