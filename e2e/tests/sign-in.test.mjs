// The demo administrator signs in, sees their profile, switches the language and back, reloads
// (the session survives through the HttpOnly refresh cookie), and signs out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startGatehouse, launchBrowser, artifacts } from '../lib/gatehouse.mjs';

let server;
let browser;

before(async () => {
  server = await startGatehouse();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('demo admin signs in, sees the profile, switches language and signs out', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const started = Date.now();
  await page.goto(`${server.url}/`);
  await page.getByTestId('login-email').waitFor();
  console.log(`sign-in page rendered in ${Date.now() - started} ms`);
  await page.screenshot({ path: join(artifacts, 'sign-in.png') });

  // A wrong password first: a clear message, still on the sign-in page.
  await page.getByTestId('login-email').fill(server.email);
  await page.getByTestId('login-password').fill('not the password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  assert.match(await page.getByTestId('login-error').innerText(), /password|парол/i);

  await page.getByTestId('login-password').fill(server.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/profile');
  await page.getByTestId('profile-email').waitFor();
  assert.equal(await page.getByTestId('profile-email').innerText(), server.email);
  assert.equal(await page.getByTestId('profile-account').innerText(), 'Demo company');
  assert.equal(await page.getByTestId('profile-name').innerText(), 'Demo Admin');
  assert.ok(await page.getByTestId('menu-profile').isVisible());
  await page.screenshot({ path: join(artifacts, 'profile-en.png') });

  // Russian, saved to the profile: the page speaks Russian and <html lang> follows.
  await page.getByTestId('language-select').selectOption('ru');
  await page.getByTestId('sign-out').filter({ hasText: 'Выйти' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await page.screenshot({ path: join(artifacts, 'profile-ru.png') });

  // The session and the chosen language survive a reload (refresh cookie; language from /me).
  await page.reload();
  await page.getByTestId('profile-email').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');

  await page.getByTestId('language-select').selectOption('en');
  await page.getByTestId('sign-out').filter({ hasText: 'Sign out' }).waitFor();

  await page.getByTestId('sign-out').click();
  await page.waitForURL('**/login');
  await page.getByTestId('login-email').waitFor();
  // Signed out for real: protected pages send back to sign-in, also after a reload.
  await page.goto(`${server.url}/profile`);
  await page.waitForURL('**/login');
  await page.getByTestId('login-email').waitFor();
  assert.deepEqual(errors, [], 'no uncaught errors in the page');
});
