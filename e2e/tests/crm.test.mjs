// The CRM screens end to end: the pipeline board with its stage totals, moving a lead to another
// stage (its picker and dragging) and finding the change on the lead card's timeline, a member
// with rights on their own leads only (the board shows theirs, a colleague's card is not found by
// its address), the lists of contacts, companies and tasks with the export offered only with the
// export right, and both languages. Records are arranged through the API, as an integration would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startGatehouse, launchBrowser } from '../lib/gatehouse.mjs';

const PASSWORD = 'Orchard lantern 42 quietly';
const MILA = { name: 'Mila Orlova', email: 'mila.orlova@demo.example.com' };
const PETR = { name: 'Petr Sidorov', email: 'petr.sidorov@demo.example.com' };
const screens = '/tmp/screens';
mkdirSync(screens, { recursive: true });

let server;
let browser;
let page;
let admin;
let stages;
const ids = {};
const errors = [];

/** "2 leads · 195 000": a column's header as the API counts it. */
async function totalOf(stage, token = admin) {
  const pipeline = (await api('GET', '/pipelines', undefined, token)).find((p) => p.stages.some((s) => s.id === stage.id));
  const total = (await api('GET', `/leads/totals?pipeline_id=${pipeline.id}`, undefined, token))
    .find((t) => t.stage_id === stage.id) ?? { leads: 0, price: 0 };
  const price = String(total.price).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${total.leads} ${total.leads === 1 ? 'lead' : 'leads'} · ${price}`;
}

// Boards are as tall as their longest column: they are shot as the screen shows them.
const shot = (target, name, fullPage = !name.startsWith('board')) =>
  target.screenshot({ path: join(screens, `${name}.png`), fullPage });
const card = (target, name) => target.locator('[data-testid="lead-card"]', { hasText: name });
const column = (target, name) => target.locator(`[data-testid="stage"][data-stage="${name}"]`);

/** A call of the API as the demo administrator; the JSON answer. */
async function api(method, path, body, token = admin) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signIn(target, email, password) {
  await target.goto(`${server.url}/login`);
  await target.getByTestId('login-email').fill(email);
  await target.getByTestId('login-password').fill(password);
  await target.getByTestId('login-submit').click();
  await target.waitForURL('**/profile');
}

async function setLanguage(target, lang, signOutText) {
  await target.getByTestId('language-select').first().selectOption(lang);
  await target.getByTestId('sign-out').filter({ hasText: signOutText }).waitFor();
}

before(async () => {
  server = await startGatehouse();
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.email, password: server.password }),
  }).then((r) => r.json());
  admin = login.access_token;
  // The demo account may be full; these members need seats of their own.
  await server.cli(['accounts', 'set-seats', '--account', String(login.account.id), '--general', '100']);
  const everything = { view: 'A', add: 'A', edit: 'A', delete: 'A', export: 'A' };
  // Mila: her own leads only, and no exports of contacts or companies.
  const own = { view: 'M', add: 'A', edit: 'M', delete: 'M', export: 'M' };
  const noExport = { ...everything, export: 'D' };
  const mila = await api('POST', '/users', {
    ...MILA,
    password: PASSWORD,
    rights: { leads: own, contacts: noExport, companies: noExport, tasks: { edit: 'M', delete: 'M' } },
  });
  const petr = await api('POST', '/users', { ...PETR, password: PASSWORD });
  ids.mila = mila.user.id;
  ids.petr = petr.user.id;
  stages = (await api('GET', '/pipelines')).find((p) => p.is_default).stages;
  const lead = (name, responsible, price) => api('POST', '/leads', {
    name, price, stage_id: stages[0].id, responsible_id: responsible,
  });
  ids.milaLead = (await lead('Window frames for Mila', ids.mila, 120000)).id;
  ids.petrLead = (await lead('Roof repair for Petr', ids.petr, 75000)).id;
  const company = await api('POST', '/companies', { name: 'Acme Trading', responsible_id: ids.mila });
  const contact = await api('POST', '/contacts', {
    name: 'Ivan Kuznetsov', phones: ['+7 912 345-67-89'], emails: ['ivan@acme.example.com'],
    company_id: company.id, responsible_id: ids.mila,
  });
  await api('PATCH', `/leads/${ids.milaLead}`, { company_id: company.id, contact_ids: [contact.id] });
  await api('POST', '/tasks', {
    text: 'Call Ivan back', responsible_id: ids.mila, link: { entity: 'leads', id: ids.milaLead },
    due_at: '2030-03-14T09:00:00Z',
  });

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.email, server.password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the administrator moves a lead on the board and finds the change on its timeline', async () => {
  for (const id of ['menu-leads', 'menu-contacts', 'menu-companies', 'menu-tasks']) {
    assert.ok(await page.getByTestId(id).isVisible(), id);
  }
  await page.getByTestId('menu-leads').click();
  await page.waitForURL('**/leads');
  const first = column(page, stages[0].name);
  await card(first, 'Roof repair for Petr').waitFor();
  await card(first, 'Window frames for Mila').getByTestId('lead-responsible').filter({ hasText: MILA.name }).waitFor();
  assert.equal(await first.getByTestId('stage-total').innerText(), await totalOf(stages[0]));
  await shot(page, 'board-en');

  // From the keyboard: the card's stage picker.
  await card(page, 'Roof repair for Petr').getByTestId('lead-stage').selectOption(String(stages[1].id));
  const second = column(page, stages[1].name);
  await card(second, 'Roof repair for Petr').waitFor();
  await first.getByTestId('stage-total').filter({ hasText: await totalOf(stages[0]) }).waitFor();
  assert.equal(await second.getByTestId('stage-total').innerText(), await totalOf(stages[1]));

  // With the mouse: dragged onto the next column.
  await card(second, 'Roof repair for Petr').dragTo(column(page, stages[2].name), { targetPosition: { x: 40, y: 20 } });
  await card(column(page, stages[2].name), 'Roof repair for Petr').waitFor();

  // The card's timeline, newest first, says what happened and who did it.
  await card(page, 'Roof repair for Petr').getByTestId('lead-link').click();
  await page.waitForURL(`**/leads/${ids.petrLead}`);
  await page.getByTestId('lead-name').filter({ hasText: 'Roof repair for Petr' }).waitFor();
  const events = page.locator('[data-testid="event"][data-kind="stage_changed"]');
  await events.nth(1).waitFor();
  assert.equal(await events.nth(0).getByTestId('event-what').innerText(), `${stages[1].name} → ${stages[2].name}`);
  assert.equal(await events.nth(1).getByTestId('event-what').innerText(), `${stages[0].name} → ${stages[1].name}`);
  assert.match(await events.nth(0).innerText(), /Stage changed[\s\S]*Demo Admin/);
  assert.equal(await page.getByTestId('lead-responsible').innerText(), PETR.name);
  assert.equal(await page.getByTestId('lead-price').innerText(), '75\u00a0000');

  // A message recorded by hand joins the timeline.
  await page.getByTestId('event-text').fill('Sent the estimate');
  await page.getByTestId('event-post').click();
  await page.locator('[data-testid="event"][data-kind="outgoing_chat_message"]').filter({ hasText: 'Sent the estimate' }).waitFor();
  await shot(page, 'lead-card-en');

  // Edited in place: a new price and another responsible member, recorded on the timeline.
  await page.getByTestId('lead-edit').click();
  await page.getByTestId('lead-price-input').fill('80000');
  await page.getByTestId('lead-responsible-input').selectOption({ label: MILA.name });
  await shot(page, 'lead-editor-en');
  await page.getByTestId('lead-save').click();
  await page.getByTestId('lead-price').filter({ hasText: '80\u00a0000' }).waitFor();
  assert.equal(await page.getByTestId('lead-responsible').innerText(), MILA.name);
  await page.locator('[data-testid="event"][data-kind="responsible_changed"]')
    .filter({ hasText: `${PETR.name} → ${MILA.name}` }).waitFor();
  // Put back, for the member's view below.
  await api('PATCH', `/leads/${ids.petrLead}`, { responsible_id: ids.petr });
});

test('a new lead is added on the board, and a price that is not a number is refused by its field', async () => {
  await page.getByTestId('menu-leads').click();
  await page.getByTestId('board-add').click();
  await page.getByTestId('lead-form-name').fill('Garden fence');
  await page.getByTestId('lead-form-price').fill('12.5');
  await page.getByTestId('lead-form-save').click();
  await page.getByTestId('lead-form-price-error').filter({ hasText: 'Enter a whole number.' }).waitFor();
  await page.getByTestId('lead-form-price').fill('30000');
  await page.getByTestId('lead-form-save').click();
  await card(column(page, stages[0].name), 'Garden fence').waitFor();
});

test('a member with rights on their own leads sees only those, and a colleague’s not even by its address', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await context.newPage();
  phone.on('pageerror', (e) => errors.push(e.message));
  await signIn(phone, MILA.email, PASSWORD);
  // Members have no settings in their menu, but the CRM sections.
  assert.equal(await phone.getByTestId('menu-users').count(), 0);
  await phone.getByTestId('menu-leads').click();
  await card(phone, 'Window frames for Mila').waitFor();
  assert.equal(await card(phone, 'Roof repair for Petr').count(), 0);
  assert.equal(await card(phone, 'Garden fence').count(), 0);
  await shot(phone, 'board-phone-en');

  await phone.goto(`${server.url}/leads/${ids.petrLead}`);
  await phone.getByTestId('not-found').waitFor();
  await shot(phone, 'lead-not-found-phone-en');

  // No export of contacts without the export right; the records are still hers to see.
  await phone.getByTestId('menu-contacts').click();
  await phone.locator('[data-testid="record-row"]', { hasText: 'Ivan Kuznetsov' }).waitFor();
  assert.equal(await phone.getByTestId('record-export').count(), 0);
  assert.equal(await phone.getByTestId('record-add').count(), 1);
  await context.close();
});

test('contacts, companies and tasks list their records, with the export for those who may export', async () => {
  await page.getByTestId('menu-contacts').click();
  await page.waitForURL('**/contacts');
  const contact = page.locator('[data-testid="record-row"]', { hasText: 'Ivan Kuznetsov' });
  await contact.waitFor();
  assert.match(await contact.innerText(), /\+79123456789[\s\S]*ivan@acme\.example\.com[\s\S]*Mila Orlova/);
  await page.getByTestId('record-export').waitFor();
  const download = page.waitForEvent('download');
  await page.getByTestId('record-export').click();
  assert.equal((await download).suggestedFilename(), 'contacts.csv');

  // Added through the one record form, then found by search.
  await page.getByTestId('record-add').click();
  await page.getByTestId('record-form-name').fill('Olga Zephyrova');
  await page.getByTestId('record-form-phones').fill('+7 495 123-45-67, +7 495 765-43-21');
  await page.getByTestId('record-form-responsible').selectOption({ label: PETR.name });
  await page.getByTestId('record-form-save').click();
  const olga = page.locator('[data-testid="record-row"]', { hasText: 'Olga Zephyrova' });
  await olga.waitFor();
  assert.match(await olga.innerText(), /\+74951234567, \+74957654321[\s\S]*Petr Sidorov/);
  await page.getByTestId('record-search').fill('zephyr');
  await page.getByTestId('record-apply').click();
  await contact.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('record-row').count(), 1);
  await shot(page, 'contacts-en');

  await page.getByTestId('menu-companies').click();
  await page.waitForURL('**/companies');
  const company = page.locator('[data-testid="record-row"]', { hasText: 'Acme Trading' });
  await company.waitFor();
  await company.getByTestId('record-edit').click();
  await page.getByTestId('record-form-name').fill('Acme Trading Ltd');
  await page.getByTestId('record-form-save').click();
  await page.locator('[data-testid="record-row"]', { hasText: 'Acme Trading Ltd' }).waitFor();
  await shot(page, 'companies-en');

  // Tasks: open ones first; a completed one moves to the completed view.
  await page.getByTestId('menu-tasks').click();
  await page.waitForURL('**/tasks');
  const task = page.locator('[data-testid="record-row"]', { hasText: 'Call Ivan back' });
  await task.waitFor();
  assert.match(await task.innerText(), new RegExp(`#${ids.milaLead}`));
  assert.equal(await page.getByTestId('record-export').count(), 0, 'tasks are not exported');
  await shot(page, 'tasks-en');
  await task.getByTestId('task-done').check();
  await task.waitFor({ state: 'detached' });
  await page.getByTestId('record-state').selectOption('true');
  await page.locator('[data-testid="record-row"]', { hasText: 'Call Ivan back' }).waitFor();

  // The lead card leads to its tasks.
  await page.goto(`${server.url}/leads/${ids.milaLead}`);
  await page.getByTestId('lead-company').filter({ hasText: 'Acme Trading Ltd' }).waitFor();
  assert.equal(await page.getByTestId('lead-contacts').innerText(), 'Ivan Kuznetsov');
  await page.getByTestId('lead-tasks').click();
  await page.getByTestId('tasks-about').waitFor();
  await page.getByTestId('record-state').selectOption('');
  await page.locator('[data-testid="record-row"]', { hasText: 'Call Ivan back' }).waitFor();
});

test('the CRM screens speak Russian too', async () => {
  await setLanguage(page, 'ru', 'Выйти');
  await page.getByTestId('menu-leads').click();
  await page.locator('h1', { hasText: 'Сделки' }).waitFor();
  await column(page, stages[0].name).getByTestId('stage-total').filter({ hasText: /\d+ сдел(ка|ки|ок) · / }).waitFor();
  await shot(page, 'board-ru');
  await card(page, 'Window frames for Mila').getByTestId('lead-link').click();
  await page.locator('h2', { hasText: 'История' }).waitFor();
  await shot(page, 'lead-card-ru');
  for (const [menu, heading, name] of [
    ['menu-contacts', 'Контакты', 'contacts-ru'],
    ['menu-companies', 'Компании', 'companies-ru'],
    ['menu-tasks', 'Задачи', 'tasks-ru'],
  ]) {
    await page.getByTestId(menu).click();
    await page.locator('h1', { hasText: heading }).waitFor();
    await page.getByTestId('record-row').first().waitFor();
    await shot(page, name);
  }
  await setLanguage(page, 'en', 'Sign out');
  assert.deepEqual(errors, []);
});
