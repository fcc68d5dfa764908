import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const artifactsDir = fileURLToPath(new URL('./.artifacts/', import.meta.url));
const newPassword = 'correct-horse-battery-staple-7';

interface SignInAnswer {
  user: { displayName: string; mustChangePassword: boolean };
}

// One server, one browser page, one administrator: the steps below are a single journey and
// each relies on the state the previous one left (language choice, changed password, session).
describe('console sign-in journey', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let admin: RunningServer['admin'];
  let displayName: string;

  beforeAll(async () => {
    server = await startServer();
    admin = server.admin;
    browser = await launchChromium();
    page = await browser.newPage({ baseURL: server.baseUrl });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function submitSignIn(username: string, password: string): Promise<SignInAnswer | null> {
    await page.getByTestId('signin-username').fill(username);
    await page.getByTestId('signin-password').fill(password);
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/auth/sign-in'));
    await page.getByTestId('signin-submit').click();
    const response = await answer;
    return response.ok() ? ((await response.json()) as SignInAnswer) : null;
  }

  it('opens on the sign-in page in Chinese and switches to English on request', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: '登录安心' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByRole('heading', { name: 'Sign in to Anxin' }).waitFor();
    await page.getByLabel('Username').waitFor();
    // A string, because this file is compiled for Node, where `localStorage` has no type.
    expect(await page.evaluate("window.localStorage.getItem('anxin.lang')")).toBe('en');
  });

  it('explains a wrong password in the chosen language', async () => {
    expect(await submitSignIn(admin.username, `${admin.password}-wrong`)).toBeNull();
    await page.getByText('Wrong username or password').waitFor();

    // The message follows the language switch because the page keeps the code, not the text.
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByText('用户名或密码错误').waitFor();
    await page.getByTestId('lang-switch').getByText('English').click();
  });

  it('asks for a new password after a one-time password, then opens the dashboard', async () => {
    const answer = await submitSignIn(admin.username, admin.password);
    expect(answer?.user.mustChangePassword).toBe(true);
    displayName = answer?.user.displayName ?? '';
    expect(displayName).not.toBe('');

    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await page.getByTestId('newpw-password').fill(newPassword);
    await page.getByTestId('newpw-confirm').fill(newPassword);
    await page.getByTestId('newpw-submit').click();

    await page.getByTestId('dashboard').waitFor();
    expect(await page.getByTestId('header-user').textContent()).toBe(displayName);
    await page.getByTestId('dashboard').getByText('Nothing here yet').waitFor();

    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: `${artifactsDir}dashboard.png`, fullPage: true });
  });

  it('stays signed in across a reload', async () => {
    await page.reload();
    await page.getByTestId('dashboard').waitFor();
    expect(await page.getByTestId('header-user').textContent()).toBe(displayName);
  });

  it('signs out back to the sign-in page and the session is gone on reload', async () => {
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-username').waitFor();

    await page.reload();
    await page.getByTestId('signin-username').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('signs in with the new password straight to the dashboard', async () => {
    const answer = await submitSignIn(admin.username, newPassword);
    expect(answer?.user.mustChangePassword).toBe(false);
    await page.getByTestId('dashboard').waitFor();
  });
});
