// The client cabinet end to end, on a phone: the administrator opens the cabinet through the API
// (outbox SMS provider, stages under their cabinet names, chat and deletion on); the client signs
// in with the code from the SMS outbox (a wrong code and a too-early second code are refused
// first), finds their deal with its stage and fields, writes to the manager, and sees the
// manager's answer — written in the CRM's lead card in a second browser — arrive without
// reloading; they download their data, then erase it with the deletion SMS's code, and the
// contact keeps neither name nor phone. A closed cabinet says so; the sign-in page speaks the
// cabinet's language (Russian) and switches to another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGatehouse, launchBrowser, artifacts } from '../lib/gatehouse.mjs';

const CLIENT = {
  name: 'Anna Petrova',
  phone: '+7 912 555-44-33',
  e164: '+79125554433',
  email: 'anna.petrova@example.com',
};
const STRANGER = '+7 912 000-11-22';
const HEADER = 'Follow your renovation with Demo Builders';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server;
let browser;
let admin;
let accountId;
let settings;
const ids = {};
const errors = [];

const shot = (page, name) => page.screenshot({ path: join(artifacts, `cabinet-${name}.png`), fullPage: true });

/** A call of the API as the demo administrator; the JSON answer. */
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

/** The cabinet's settings with some of them changed. */
async function configure(changes) {
  const { login_length: _l, deletion_length: _d, logo_url: _u, link: _k, updated_at: _t, ...input } = settings;
  settings = await api('PUT', '/cabinet-settings', { ...input, ...changes });
  return settings;
}

/** The code of the newest SMS of `purpose` to the client, from the outbox (it may take a moment). */
async function codeFromOutbox(purpose, to = CLIENT.e164, newerThan = 0) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const page = await api('GET', '/sms-messages?per_page=50');
    const message = page.items.find((m) => m.to === to && m.purpose === purpose && m.id > newerThan);
    if (message) {
      const codes = message.body.match(/\b\d{6}\b/g);
      assert.ok(codes, `no code in "${message.body}"`);
      return { id: message.id, code: codes.at(-1), body: message.body };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${purpose} SMS to ${to} in the outbox`);
}

async function phonePage() {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page };
}

before(async () => {
  server = await startGatehouse();
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.email, password: server.password }),
  }).then((r) => r.json());
  admin = login.access_token;
  accountId = login.account.id;

  const stages = (await api('GET', '/pipelines')).find((p) => p.is_default).stages;
  ids.stages = stages;
  const company = await api('POST', '/companies', { name: 'Petrova Interiors' });
  const contact = await api('POST', '/contacts', {
    name: CLIENT.name, phones: [CLIENT.phone], emails: [CLIENT.email], company_id: company.id,
  });
  ids.contact = contact.id;
  const lead = await api('POST', '/leads', {
    name: 'Kitchen renovation', price: 350000, stage_id: stages[0].id,
    company_id: company.id, contact_ids: [contact.id],
  });
  ids.lead = lead.id;
  // Moved on once, so its history has a stage change to show.
  await api('PATCH', `/leads/${lead.id}`, { stage_id: stages[1].id });

  const outbox = (await api('GET', '/sms-providers')).find((p) => p.kind === 'outbox');
  settings = await api('GET', '/cabinet-settings');
  const names = ['Request received', 'Estimate', 'In work', 'Handed over'];
  await configure({
    enabled: true,
    sms_provider_id: outbox.id,
    language: 'en',
    header_text: HEADER,
    chat_enabled: true,
    show_company: true,
    show_client_name: true,
    event_kinds: ['stage_changed', 'incoming_chat_message', 'outgoing_chat_message'],
    fields: [{ field: 'name', alias: 'Project' }, { field: 'price', alias: 'Budget' }],
    stages: stages.slice(0, names.length).map((stage, i) => ({ stage_id: stage.id, name: names[i] })),
    deletion_enabled: true,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a closed cabinet says so, whatever the address', async () => {
  const { context, page } = await phonePage();
  await page.goto(`${server.url}/cabinet/999999`);
  await page.getByTestId('cabinet-closed').waitFor();
  await configure({ enabled: false });
  await page.goto(`${server.url}/cabinet/${accountId}`);
  await page.getByTestId('cabinet-closed').waitFor();
  await shot(page, 'closed-en');
  await configure({ enabled: true });
  await context.close();
});

test('a second code within 30 seconds is refused with the wait, and an unknown phone is answered like a known one', async () => {
  const { context, page } = await phonePage();
  await page.goto(`${server.url}/cabinet/${accountId}`);
  await page.getByTestId('cabinet-phone').fill(STRANGER);
  await page.getByTestId('cabinet-send-code').click();
  await page.getByTestId('cabinet-code').waitFor();
  assert.match(await page.getByTestId('resend-countdown').innerText(), /You can ask for a new code in 0:[0-3]\d/);
  await page.getByTestId('cabinet-change-phone').click();
  await page.getByTestId('cabinet-phone').fill(STRANGER);
  await page.getByTestId('cabinet-send-code').click();
  await page.getByTestId('sign-in-error').filter({ hasText: /Too many attempts\. Try again in 0:[0-3]\d\./ }).waitFor();
  await context.close();
});

test('the client signs in by SMS, chats with the manager live, downloads and erases their data', async () => {
  const { context, page } = await phonePage();
  await page.goto(`${server.url}/cabinet/${accountId}`);
  assert.equal(await page.getByTestId('cabinet-header').innerText(), HEADER);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const phoneInput = page.getByTestId('cabinet-phone');
  assert.equal(await phoneInput.getAttribute('type'), 'tel');
  await phoneInput.fill(CLIENT.phone);
  await shot(page, 'sign-in-en');
  await page.getByTestId('cabinet-send-code').click();
  const codeInput = page.getByTestId('cabinet-code');
  await codeInput.waitFor();
  assert.equal(await codeInput.getAttribute('inputmode'), 'numeric');
  assert.equal(await codeInput.getAttribute('autocomplete'), 'one-time-code');
  assert.match(await page.getByTestId('code-sent').innerText(), new RegExp(`\\${CLIENT.e164}`));
  const login = await codeFromOutbox('login');

  // A wrong code first: refused, the right one still works.
  await codeInput.fill(login.code === '000000' ? '111111' : '000000');
  await page.getByTestId('cabinet-sign-in').click();
  await page.getByTestId('sign-in-error').filter({ hasText: 'The code is wrong or has expired' }).waitFor();
  assert.equal(await codeInput.getAttribute('aria-invalid'), 'true');
  await shot(page, 'wrong-code-en');
  await codeInput.fill(login.code);
  await page.getByTestId('cabinet-sign-in').click();
  await page.waitForURL(`**/cabinet/${accountId}/leads`);

  // Home: the name, the deal under the stage's cabinet name, its fields under their aliases.
  await page.getByTestId('client-name').filter({ hasText: `Hello, ${CLIENT.name}!` }).waitFor();
  const card = page.locator(`[data-testid="lead-card"][data-lead="${ids.lead}"]`);
  await card.waitFor();
  assert.equal(await card.getByTestId('lead-stage').innerText(), 'Estimate');
  assert.equal(await card.getByTestId('lead-progress').getAttribute('aria-label'), 'Stage 2 of 4');
  const fields = await card.getByTestId('lead-field').allInnerTexts();
  const [project, budget] = fields.map((f) => f.replace(/\s+/g, ' ').trim());
  assert.equal(project, 'Project Kitchen renovation');
  assert.match(budget, /^Budget 350 ?000$/);
  assert.match(await card.getByTestId('lead-company').innerText(), /Petrova Interiors/);
  assert.match(await card.getByTestId('lead-manager').innerText(), /Demo Admin/);
  await shot(page, 'home-en');

  // The deal's page: the client writes to the manager.
  await card.getByTestId('lead-open').click();
  await page.waitForURL(`**/cabinet/${accountId}/leads/${ids.lead}`);
  await page.getByTestId('chat').waitFor();
  const moved = page.locator('[data-testid="event"][data-kind="stage_changed"]');
  assert.match(await moved.innerText(), /Stage changed[\s\S]*Request received → Estimate/);
  const question = 'Hello! When can you start on the kitchen?';
  await page.getByTestId('chat-input').fill(question);
  await page.getByTestId('chat-send').click();
  await page.locator('[data-testid="chat-message"][data-from="client"]', { hasText: question }).waitFor();
  assert.equal(await page.getByTestId('chat-input').inputValue(), '');

  // The manager answers from the lead card in the CRM, in a desktop browser of their own.
  const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const crm = await office.newPage();
  crm.on('pageerror', (e) => errors.push(e.message));
  await crm.goto(`${server.url}/login`);
  await crm.getByTestId('login-email').fill(server.email);
  await crm.getByTestId('login-password').fill(server.password);
  await crm.getByTestId('login-submit').click();
  await crm.waitForURL('**/profile');
  await crm.goto(`${server.url}/leads/${ids.lead}`);
  await crm.getByTestId('chat-message').filter({ hasText: question }).waitFor();
  const answer = 'Good morning, Anna! We can start on Monday.';
  await crm.getByTestId('chat-input').fill(answer);
  await crm.getByTestId('chat-send').click();
  await crm.getByTestId('chat-message').filter({ hasText: answer }).waitFor();
  await crm.screenshot({ path: join(artifacts, 'cabinet-crm-chat-en.png'), fullPage: true });
  await office.close();

  // The client sees the answer without reloading, under the manager's name.
  const reply = page.locator('[data-testid="chat-message"][data-from="manager"]', { hasText: answer });
  await reply.waitFor({ timeout: 30_000 });
  assert.match(await reply.innerText(), /Demo Admin/);
  await shot(page, 'lead-chat-en');

  // Their data, downloaded as a JSON file.
  await page.getByTestId('back-to-deals').click();
  await page.waitForURL(`**/cabinet/${accountId}/leads`);
  await page.getByTestId('lead-card').waitFor();
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, 'home-desktop-en');
  await page.setViewportSize(PHONE.viewport);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download-data').click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /\.json$/);
  const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const mine = data.contacts.find((c) => c.id === ids.contact);
  assert.ok(mine, 'the download holds the contact');
  assert.equal(mine.name, CLIENT.name);
  assert.deepEqual(mine.phones, [CLIENT.e164]);
  assert.deepEqual(mine.emails, [CLIENT.email]);
  assert.ok(data.messages.some((m) => m.text === question), 'and the chat');

  // Erasure: what goes is said first, then the deletion SMS's code confirms it.
  await page.getByTestId('erase-open').click();
  await page.waitForURL(`**/cabinet/${accountId}/erasure`);
  const what = await page.getByTestId('erase-what').innerText();
  for (const item of ['your name', 'your phone numbers', 'your e-mail addresses']) assert.match(what, new RegExp(item));
  await shot(page, 'erase-confirm-en');
  await page.getByTestId('erase-send-code').click();
  await page.getByTestId('erase-code').waitFor();
  const deletion = await codeFromOutbox('deletion');
  await page.getByTestId('erase-code').fill(deletion.code);
  await shot(page, 'erase-code-en');
  await page.getByTestId('erase-confirm').click();
  await page.getByTestId('erased').filter({ hasText: 'Your data was erased' }).waitFor();
  await shot(page, 'erased-en');

  // The contact keeps neither the name, nor the phone, nor the e-mail; the session is over.
  const contact = await api('GET', `/contacts/${ids.contact}`);
  assert.notEqual(contact.name, CLIENT.name);
  assert.deepEqual(contact.phones, []);
  assert.deepEqual(contact.emails, []);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), `gatehouse.cabinet.${accountId}.token`), null);
  await page.goto(`${server.url}/cabinet/${accountId}/leads`);
  await page.getByTestId('cabinet-phone').waitFor();
  await context.close();
});

test('a client without deals is told so, and signing out ends the session', async () => {
  const boris = { name: 'Boris Ivanov', phone: '+7 912 555-66-77', e164: '+79125556677' };
  await api('POST', '/contacts', { name: boris.name, phones: [boris.phone] });
  const { context, page } = await phonePage();
  await page.goto(`${server.url}/cabinet/${accountId}`);
  await page.getByTestId('cabinet-phone').fill(boris.phone);
  await page.getByTestId('cabinet-send-code').click();
  const { code } = await codeFromOutbox('login', boris.e164);
  await page.getByTestId('cabinet-code').fill(code);
  await page.getByTestId('cabinet-sign-in').click();
  await page.getByTestId('no-deals').filter({ hasText: 'You have no deals with us yet.' }).waitFor();
  await page.getByTestId('client-name').filter({ hasText: `Hello, ${boris.name}!` }).waitFor();
  await shot(page, 'home-empty-en');
  const key = `gatehouse.cabinet.${accountId}.token`;
  const token = await page.evaluate((k) => localStorage.getItem(k), key);
  assert.ok(token);

  await page.getByTestId('sign-out').click();
  await page.getByTestId('cabinet-phone').waitFor();
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null);
  // The server ended the session too: the old token opens nothing.
  const me = await fetch(`${server.url}/api/v1/cabinet/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 401);
  await context.close();
});

test('the sign-in page speaks the cabinet’s language, Russian, and switches to another', async () => {
  await configure({ language: 'ru', header_text: '' });
  const { context, page } = await phonePage();
  await page.goto(`${server.url}/cabinet/${accountId}`);
  await page.getByTestId('cabinet-header').filter({ hasText: 'Следите за своими сделками и пишите менеджеру' }).waitFor();
  assert.equal(await page.locator('label[for="cabinet-phone"]').innerText(), 'Номер телефона');
  assert.equal(await page.getByTestId('cabinet-send-code').innerText(), 'Получить код');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await page.getByTestId('cabinet-send-code').click();
  await page.getByTestId('sign-in-error').filter({ hasText: 'Введите номер телефона.' }).waitFor();
  assert.equal(await page.getByTestId('cabinet-phone').getAttribute('aria-invalid'), 'true');
  // The server's refusal of a number, in the cabinet's words.
  await page.getByTestId('cabinet-phone').fill('12');
  await page.getByTestId('cabinet-send-code').click();
  await page.getByTestId('sign-in-error').filter({ hasText: 'Это не похоже на номер телефона' }).waitFor();
  await shot(page, 'sign-in-ru');

  // The client's own choice wins over the cabinet's, and stays for the next visit.
  await page.getByTestId('cabinet-language').selectOption('es');
  await page.getByTestId('cabinet-send-code').filter({ hasText: 'Recibir código' }).waitFor();
  await page.reload();
  await page.getByTestId('cabinet-send-code').filter({ hasText: 'Recibir código' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await context.close();
  assert.deepEqual(errors, []);
});
