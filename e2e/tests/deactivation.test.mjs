// Deactivation with reassignment, as the issue shows it: an administrator ticks two users who
// own 300 leads between them, deactivates them handing everything to one colleague, sees the
// dry run's counts, confirms, watches the progress bar reach 100 %, and finds the leads under
// their new responsible user — on the lead card, with the change on its timeline. The users
// list then shows the two as inactive. Records are arranged through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startGatehouse, launchBrowser } from '../lib/gatehouse.mjs';

const PASSWORD = 'Orchard lantern 42 quietly';
const LEAVERS = [
  { name: 'Lev Uhodov', email: 'lev.uhodov@leaving.example.com' },
  { name: 'Lada Proshchina', email: 'lada.proshchina@leaving.example.com' },
];
const RECEIVER = { name: 'Roza Priemova', email: 'roza.priemova@staying.example.com' };
const LEADS_EACH = 150;
const screens = '/tmp/screens';
mkdirSync(screens, { recursive: true });

let server;
let browser;
let page;
let admin;
const ids = {};
const errors = [];

const shot = (name, fullPage = false) => page.screenshot({ path: join(screens, `${name}.png`), fullPage });
const row = (email) => page.locator(`[data-testid="user-row"][data-email="${email}"]`);

async function api(method, path, body) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

before(async () => {
  server = await startGatehouse();
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.email, password: server.password }),
  }).then((r) => r.json());
  admin = login.access_token;
  await server.cli(['accounts', 'set-seats', '--account', String(login.account.id), '--general', '100']);
  ids.leavers = [];
  for (const person of LEAVERS) {
    ids.leavers.push((await api('POST', '/users', { ...person, password: PASSWORD })).user.id);
  }
  ids.receiver = (await api('POST', '/users', { ...RECEIVER, password: PASSWORD })).user.id;
  ids.leads = [];
  for (const [n, leaver] of ids.leavers.entries()) {
    for (let i = 1; i <= LEADS_EACH; i += 1) {
      const lead = await api('POST', '/leads', { name: `${LEAVERS[n].name} deal ${i}`, price: 1000 * i, responsible_id: leaver });
      ids.leads.push(lead.id);
    }
    await api('POST', '/contacts', { name: `${LEAVERS[n].name}'s client`, responsible_id: leaver });
    await api('POST', '/tasks', { text: `Follow up for ${LEAVERS[n].name}`, responsible_id: leaver });
  }

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill(server.email);
  await page.getByTestId('login-password').fill(server.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/profile');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('two users are deactivated and their 300 leads handed to a colleague, with the progress shown', async () => {
  await page.getByTestId('menu-users').click();
  await page.waitForURL('**/users');
  await page.getByTestId('users-search').fill('leaving.example.com');
  await page.getByTestId('users-apply').click();
  await page.getByTestId('users-total').filter({ hasText: 'Found: 2' }).waitFor();
  for (const person of LEAVERS) {
    await row(person.email).getByTestId('user-pick').check();
  }
  await page.getByTestId('users-bulk-action').selectOption('deactivate');
  await page.getByTestId('users-bulk-apply').click();
  // The hand-over is a page of the CRM workspace, for the members ticked.
  await page.waitForURL(`**/crm/hand-over?members=${[...ids.leavers].sort((a, b) => a - b).join(',')}`);
  const dialog = page.getByTestId('deactivation');
  await dialog.waitFor();
  assert.match(await dialog.locator('h2').innerText(), /Deactivate 2 users\?/);
  // The leavers cannot receive their own records. (The choices come with the account's
  // directory, which the page loads.)
  await page.getByTestId('deactivation-member').locator('option', { hasText: RECEIVER.name }).waitFor({ state: 'attached' });
  const offered = await page.getByTestId('deactivation-member').locator('option').allInnerTexts();
  assert.ok(offered.includes(RECEIVER.name));
  for (const person of LEAVERS) assert.ok(!offered.includes(person.name), person.name);

  // Nothing happens before the count: the choice must be made first.
  await page.getByTestId('deactivation-check').click();
  await page.getByTestId('deactivation-invalid').filter({ hasText: 'Choose who receives the records.' }).waitFor();
  assert.ok(await page.getByTestId('deactivation-confirm').isDisabled());

  await page.getByTestId('deactivation-member').selectOption({ label: RECEIVER.name });
  await page.getByTestId('deactivation-check').click();
  await page.getByTestId('deactivation-counts').waitFor();
  assert.equal(await page.getByTestId('deactivation-count-leads').innerText(), String(2 * LEADS_EACH));
  assert.equal(await page.getByTestId('deactivation-count-contacts').innerText(), '2');
  assert.equal(await page.getByTestId('deactivation-count-tasks').innerText(), '2');
  await shot('deactivation-dry-run-en');

  // Russian reads the same counts.
  await page.getByTestId('language-select').first().selectOption('ru');
  await dialog.locator('h2').filter({ hasText: 'Деактивировать' }).waitFor();
  await shot('deactivation-dry-run-ru');
  await page.getByTestId('language-select').first().selectOption('en');
  await dialog.locator('h2').filter({ hasText: 'Deactivate' }).waitFor();

  await page.getByTestId('deactivation-confirm').click();
  const bar = page.getByTestId('deactivation-bar');
  await bar.waitFor();
  assert.equal(await bar.getAttribute('max'), '100');
  await page.locator('[data-testid="deactivation-bar"][aria-valuenow="100"]').waitFor();
  await page.getByTestId('deactivation-done').filter({ hasText: 'every record has been handed over' }).waitFor();
  assert.equal(await page.getByTestId('deactivation-percent').innerText(), '100 %');
  assert.equal(await page.getByTestId('deactivation-moved-leads').innerText(), `Leads: ${2 * LEADS_EACH} / ${2 * LEADS_EACH}`);
  await shot('deactivation-done-en');
  // Closing returns to the users list, which shows them inactive.
  await page.getByTestId('deactivation-close').click();
  await page.waitForURL('**/users');
  await page.getByTestId('users-search').fill('leaving.example.com');
  await page.getByTestId('users-apply').click();
  await page.getByTestId('users-status').selectOption('inactive');
  for (const person of LEAVERS) {
    await row(person.email).getByText('Inactive').waitFor();
  }
  await shot('users-after-deactivation-en', true);
});

test('the leads are found under their new responsible user, with the change on the timeline', async () => {
  const moved = await api('GET', `/leads?responsible_id=${ids.receiver}&limit=250`);
  assert.equal(moved.items.length, 250);
  assert.ok(moved.next_after, 'more than one slice: all 300');
  const rest = await api('GET', `/leads?responsible_id=${ids.receiver}&limit=250&after=${moved.next_after}`);
  assert.equal(moved.items.length + rest.items.length, 2 * LEADS_EACH);

  await page.goto(`${server.url}/leads/${ids.leads[0]}`);
  await page.getByTestId('lead-responsible').filter({ hasText: RECEIVER.name }).waitFor();
  const change = page.locator('[data-testid="event"][data-kind="responsible_changed"]');
  await change.filter({ hasText: `${LEAVERS[0].name} → ${RECEIVER.name}` }).waitFor();
  await shot('lead-after-deactivation-en', true);

  // On the board, the receiver's name is on the newest of them.
  await page.getByTestId('menu-leads').click();
  const card = page.locator('[data-testid="lead-card"]', { hasText: `${LEAVERS[1].name} deal ${LEADS_EACH}` });
  await card.getByTestId('lead-responsible').filter({ hasText: RECEIVER.name }).waitFor();
  assert.deepEqual(errors, []);
});
