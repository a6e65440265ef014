import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { badgeFor } from '../background/toolbar-badge';
import { BackgroundContext } from '../components/BackgroundContext';
import { testResultText } from '../entrypoints/options/components/AccountRow';
import { Settings, wholeNumberProblem } from '../entrypoints/options/components/Settings';
import { AllowSite } from '../entrypoints/popup/components/AllowSite';
import { Header } from '../entrypoints/popup/components/Header';
import { errorText } from '../utils/error-text';
import { accountLineText, accountsReadyText, countText, formatLatency } from '../utils/format';
import { localizeDocument } from '../utils/i18n';
import { fakeClient } from './fake-client';
import { useLocale } from './i18n-shim';
import { SAMPLE_CONFIG, sampleAccount, sampleStatus } from './fakes';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

/** A status with `ready` of `total` accounts ready. */
function withAccounts(ready: number, total: number) {
  return sampleStatus(
    { state: 'running', port: 8045, url: 'http://127.0.0.1:8045' },
    Array.from({ length: total }, (_, index) =>
      sampleAccount({ id: `a${index}`, label: `a${index}`, ...(index < ready ? {} : { status: { state: 'cooling', until: 0, kind: 'rate-limited', reason: 'rate limited' } }) }),
    ),
  );
}

afterEach(() => cleanup());

describe('Russian (Chromium with --lang=ru)', () => {
  it('counts with the right one of three plural forms', () => {
    useLocale('ru', 'ru');
    const requests = [1, 2, 5, 11, 21, 22, 25, 101, 1234].map((n) => countText('requestCount', n));
    expect(requests).toEqual(['1 запрос', '2 запроса', '5 запросов', '11 запросов', '21 запрос', '22 запроса', '25 запросов', '101 запрос', '1\u00a0234 запроса']);
    expect([1, 3, 5].map((n) => countText('errorCount', n))).toEqual(['1 ошибка', '3 ошибки', '5 ошибок']);
    expect([1, 3, 5].map((n) => countText('modelCount', n))).toEqual(['1 модель', '3 модели', '5 моделей']);
    // "of N accounts" takes the genitive: singular after 1 and 21, plural otherwise.
    expect([[1, 1], [2, 3], [5, 5], [20, 21]].map(([ready, total]) => accountsReadyText(withAccounts(ready!, total!)))).toEqual([
      'В работе 1 из 1 аккаунта',
      'В работе 2 из 3 аккаунтов',
      'В работе 5 из 5 аккаунтов',
      'В работе 20 из 21 аккаунта',
    ]);
  });

  it('shows the popup header in Russian', () => {
    useLocale('ru', 'ru');
    render(<Header status={withAccounts(5, 5)} busy={false} onToggle={() => {}} />);
    expect($('proxy-state').textContent).toBe('работает');
    expect($('toggle-proxy').textContent).toBe('Остановить');
    expect($('accounts-ready').textContent).toBe('В работе 5 из 5 аккаунтов');
    expect($('proxy-address').title).toBe('Принимает запросы по адресу');
  });

  it("says why an account rests in Russian, with the time as Russian writes it and the daemon's technical detail", () => {
    useLocale('ru', 'ru');
    const until = new Date(2030, 0, 1, 14, 3, 22).getTime();
    const now = new Date(2030, 0, 1, 14, 0, 0).getTime();
    const tomorrow = new Date(2030, 0, 2, 8, 0, 0).getTime();
    expect(accountLineText({ status: { state: 'cooling', until, kind: 'rate-limited', reason: 'rate limited (HTTP 429)' } }, now)).toBe(
      'пауза до 14:03:22 — лимит запросов (HTTP 429)',
    );
    expect(accountLineText({ status: { state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' } }, now)).toBe(
      'отключён — провайдер отклонил API-ключ (HTTP 401)',
    );
    expect(accountLineText({ status: { state: 'ready' }, models_cooling: [{ model: 'gemini-2.5-pro', until: tomorrow, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' }] }, now)).toBe(
      'gemini-2.5-pro: пауза до завтра в 08:00:00 — квота исчерпана (HTTP 429)',
    );
    expect(formatLatency(480.4)).toBe('480 мс');
  });

  it("translates the daemon's standard error messages and keeps their details; its own words stay as they are", () => {
    useLocale('ru', 'ru');
    expect(errorText({ code: 'NO_ACCOUNTS', message: 'No available accounts, please add an account first' })).toBe('Нет доступных аккаунтов: сначала добавьте аккаунт');
    expect(errorText({ code: 'INVALID_CONFIG', message: 'Invalid configuration: port: Too big' })).toBe('Недопустимая конфигурация: port: Too big');
    expect(errorText({ code: 'ACCOUNT_NOT_FOUND', message: 'No account with id "gone"' })).toBe('No account with id "gone"');
    expect(errorText({ code: 'DAEMON_UNREACHABLE' })).toBe('Демон Localgate не запущен, и запустить его не удалось');
    expect(badgeFor({ state: 'connected', transport: 'native' }, sampleStatus())).toMatchObject({ text: 'выкл', title: 'Localgate: остановлен' });
  });

  it('puts markup where the translation puts the value', () => {
    useLocale('ru', 'ru');
    render(
      <BackgroundContext.Provider value={fakeClient().client}>
        <AllowSite origin="https://chat.example.app" onConfig={() => {}} />
      </BackgroundContext.Provider>,
    );
    expect($('allow-site-button').innerHTML).toBe('Разрешить <strong>https://chat.example.app</strong> использовать Localgate');
  });

  it('marks the page as Russian and titles it', () => {
    useLocale('ru', 'ru');
    localizeDocument(document, 'monitorTitle');
    expect(document.documentElement.lang).toBe('ru');
    expect(document.title).toBe('Монитор Localgate');
  });
});

describe('Russian options page', () => {
  it('labels, choices and checks in Russian', () => {
    useLocale('ru', 'ru');
    render(
      <BackgroundContext.Provider value={fakeClient().client}>
        <Settings config={{ ...SAMPLE_CONFIG, max_attempts: 3 }} running accounts={[]} onConfig={() => {}} />
      </BackgroundContext.Provider>,
    );
    expect(document.querySelector('label[for="port"]')!.textContent).toBe('Порт');
    expect($('port-hint').textContent).toBe('Чтобы изменить порт, остановите прокси.');
    expect(document.querySelector('#auth-mode option[value="strict"]')!.textContent).toBe('strict: ключ для каждого запроса');
    expect($('save-settings').textContent).toBe('Сохранить');
    expect(wholeNumberProblem('port', '70000')).toBe('Значение port должно быть целым числом от 1024 до 65535');
    expect(wholeNumberProblem('port', ' ')).toBe('Укажите значение port');
    expect(testResultText({ outcome: 'works', modelCount: 5 })).toBe('Работает (5 моделей)');
    expect(testResultText({ outcome: 'key-rejected', message: 'HTTP 401' })).toBe('Ключ отклонён: HTTP 401');
  });
});

describe('Simplified Chinese (--lang=zh-CN)', () => {
  it('has one form for every count', () => {
    useLocale('zh_CN', 'zh-CN');
    expect([1, 5].map((n) => countText('requestCount', n))).toEqual(['1 个请求', '5 个请求']);
    expect(accountsReadyText(withAccounts(3, 5))).toBe('5 个账号中 3 个可用');
    render(<Header status={withAccounts(1, 1)} busy={false} onToggle={() => {}} />);
    expect($('proxy-state').textContent).toBe('运行中');
    expect($('toggle-proxy').textContent).toBe('停止');
  });
});

describe('numbers, dates and times', () => {
  it("follow the language of the text: Russian text is written with Russian times even when the browser reports en-US (headless Chromium with --lang=ru does)", () => {
    useLocale('ru', 'en-US');
    expect(accountLineText({ status: { state: 'cooling', until: new Date(2030, 0, 1, 14, 3, 22).getTime(), kind: 'timeout', reason: 'upstream timed out (request_timeout_s)' } }, new Date(2030, 0, 1, 14, 0).getTime())).toBe(
      'пауза до 14:03:22 — провайдер не ответил вовремя (request_timeout_s)',
    );
    expect(countText('requestCount', 1234)).toBe('1\u00a0234 запроса');
  });

  it("take the UI's regional variant of the same language: English text, British clock", () => {
    useLocale('en', 'en-GB');
    expect(accountLineText({ status: { state: 'cooling', until: new Date(2030, 0, 1, 14, 3, 22).getTime(), kind: 'rate-limited', reason: 'rate limited' } }, new Date(2030, 0, 1, 14, 0).getTime())).toBe(
      'cooling until 14:03:22 — rate limited',
    );
  });

  it('a UI language we have no messages for (German, French) reads English throughout: English plurals, numbers and units', () => {
    // Chromium serves the default locale's (English) messages; plural rules must follow the text.
    useLocale('en', 'de');
    expect(countText('requestCount', 1)).toBe('1 request');
    expect(countText('requestCount', 1234)).toBe('1,234 requests');
    expect(formatLatency(12_500)).toBe('12.5 sec');
    // French would say "0 requête" (0 is singular there); the English text needs "0 requests".
    useLocale('en', 'fr');
    expect(countText('requestCount', 0)).toBe('0 requests');
  });
});
