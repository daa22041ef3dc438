// The staff side of the client cabinet end to end: the settings screen (templates measured live
// at their markers' longest, an over-long one refused before saving, a PNG logo previewed and
// uploaded, a too small one refused in words, stages and fields with their cabinet names, the
// cabinet turned on with the outbox) and its link; the settings as saved after a reload; the SMS
// screen (the outbox provider, a test SMS read back from the log with its text, an HTTP gateway
// whose secret header shows only as "set"); the lead card's chat, where a client's message
// arrives without a reload and the manager's answer joins the list; both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { startGatehouse, launchBrowser, artifacts } from '../lib/gatehouse.mjs';

let server;
let browser;
let page;
let admin;
let accountId;
let stages;
let field;
let lead;
const errors = [];

// Scrolled to the end first: the settings' sticky save bar then stands where it belongs.
async function shot(target, name) {
  await target.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await target.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real PNG of `width`×`height`: an indigo band on white, so the preview shows something. */
function png(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3, 255);
    row[0] = 0;
    for (let x = 0; x < width; x += 1) {
      if (y > height / 3 && y < (2 * height) / 3 && x > width / 8 && x < (7 * width) / 8) {
        row.set([79, 70, 229], 1 + x * 3);
      }
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function setLanguage(target, lang, signOutText) {
  await target.getByTestId('language-select').first().selectOption(lang);
  await target.getByTestId('sign-out').filter({ hasText: signOutText }).waitFor();
}

const counter = (target, id) => target.getByTestId(`${id}-length`);

before(async () => {
  server = await startGatehouse();
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.email, password: server.password }),
  }).then((r) => r.json());
  admin = login.access_token;
  accountId = login.account.id;
  stages = (await api('GET', '/pipelines')).find((p) => p.is_default).stages;
  field = await api('POST', '/custom-fields', { entity: 'leads', name: 'Delivery date', kind: 'date' });
  const me = await api('GET', '/me');
  // The demo account's cabinet is open from the start; here it starts closed, to be opened.
  const demo = await api('GET', '/cabinet-settings');
  const { login_length: _l, deletion_length: _d, logo_url: _u, link: _k, updated_at: _t, ...input } = demo;
  await api('PUT', '/cabinet-settings', { ...input, enabled: false });
  lead = await api('POST', '/leads', {
    name: 'Kitchen for Anna', price: 250000, stage_id: stages[0].id, responsible_id: me.membership.id,
  });

  browser = await launchBrowser();
  // A context of its own, so that a second tab (a phone-sized one) shares the session.
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
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

test('an administrator sets the cabinet up, with live SMS lengths and a logo preview, and gets its link', async () => {
  // From the admin app's menu to the CRM workspace's screen: a page load of the other bundle.
  await page.getByTestId('menu-cabinet-settings').click();
  await page.waitForURL('**/settings/cabinet');
  await page.getByTestId('cabinet-settings-form').waitFor();
  // Saved before (the demo's): its link shows from the start.
  await page.getByTestId('cabinet-link').filter({ hasText: `/cabinet/${accountId}` }).waitFor();
  assert.equal(await page.getByTestId('cabinet-enabled').isChecked(), false);

  // The counter follows the typing, with each marker at its longest (code 6, account name 20).
  const login = 'cabinet-login-template';
  await page.getByTestId(login).fill('Код {{code}}');
  await counter(page, login).filter({ hasText: '10 / 70 characters at the markers\' longest, 1 SMS' }).waitFor();
  await page.getByTestId(login).fill('Код для ');
  await page.getByTestId(`${login}-marker-account_name`).click();
  await page.getByTestId(login).press('End');
  await page.getByTestId(login).pressSequentially(': ');
  await page.getByTestId(`${login}-marker-code`).click();
  assert.equal(await page.getByTestId(login).inputValue(), 'Код для {{account.name}}: {{code}}');
  await counter(page, login).filter({ hasText: '36 / 70' }).waitFor();
  assert.doesNotMatch(await counter(page, login).getAttribute('class'), /text-danger/);
  // A marker goes where the cursor is, replacing what is selected.
  await page.getByTestId(login).evaluate((area) => area.setSelectionRange(4, 7));
  await page.getByTestId(`${login}-marker-contact_first_name`).click();
  assert.equal(await page.getByTestId(login).inputValue(), 'Код {{contact.first_name}} {{account.name}}: {{code}}');
  await counter(page, login).filter({ hasText: '48 / 70' }).waitFor();

  // Over 70 at the markers' longest: in the error colour while typing, refused before saving.
  await page.getByTestId(login).fill('Здравствуйте, {{contact.name}}! Ваш код для входа в кабинет: {{code}}');
  await counter(page, login).filter({ hasText: '76 / 70 characters at the markers\' longest, 2 SMS' }).waitFor();
  assert.match(await counter(page, login).getAttribute('class'), /text-danger/);
  await page.getByTestId('cabinet-settings-save').click();
  await page.getByTestId(`${login}-error`).filter({ hasText: 'Over 70 characters with the markers at their longest' }).waitFor();
  await page.getByTestId('cabinet-settings-fix').waitFor();
  await shot(page, 'cabinet-settings-too-long-en');
  await page.getByTestId(login).fill('{{contact.first_name}}, код для входа: {{code}}');
  await counter(page, login).filter({ hasText: '38 / 70' }).waitFor();

  // A logo too small is refused by the server, in words; a right one is previewed, then uploaded.
  await page.getByTestId('cabinet-logo-none').waitFor();
  await page.getByTestId('cabinet-logo-input').setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: png(40, 20) });
  await page.getByTestId('cabinet-logo-upload').click();
  await page.getByTestId('cabinet-logo-error').filter({ hasText: 'The logo is too small: at least 80×40 pixels.' }).waitFor();
  await page.getByTestId('cabinet-logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(120, 60) });
  const preview = page.getByTestId('cabinet-logo-preview');
  await preview.waitFor();
  assert.match(await preview.getAttribute('src'), /^blob:/);
  await page.getByTestId('cabinet-logo').filter({ hasText: 'Chosen file · 120×60 px' }).waitFor();
  assert.equal(await page.getByTestId('cabinet-logo-error').innerText(), '');
  await page.getByTestId('cabinet-logo-upload').click();
  await page.getByTestId('cabinet-logo-done').filter({ hasText: 'Logo uploaded.' }).waitFor();
  await page.getByTestId('cabinet-logo').filter({ hasText: 'Current logo' }).waitFor();
  await page.getByTestId('cabinet-logo-remove').waitFor();

  // The first two stages, one under another name; a field renamed, one hidden, one added.
  const stageRow = (stage) => page.locator(`[data-testid="cabinet-stage"][data-key="${stage.id}"]`);
  for (const [i, stage] of stages.entries()) {
    await stageRow(stage).getByTestId('cabinet-stage-shown').setChecked(i < 2);
  }
  assert.equal(await stageRow(stages[2]).getByTestId('cabinet-stage-alias').isDisabled(), true);
  await stageRow(stages[1]).getByTestId('cabinet-stage-alias').fill('Готовим предложение');
  const fieldRow = (key) => page.locator(`[data-testid="cabinet-field"][data-key="${key}"]`);
  assert.ok(await fieldRow(`custom.${field.id}`).isVisible(), 'the account\'s lead fields are offered');
  await fieldRow('price').getByTestId('cabinet-field-shown').check();
  await fieldRow('price').getByTestId('cabinet-field-alias').fill('Стоимость');
  await fieldRow('created_at').getByTestId('cabinet-field-shown').uncheck();
  // An empty name is refused at its own row.
  await fieldRow(`custom.${field.id}`).getByTestId('cabinet-field-shown').check();
  await fieldRow(`custom.${field.id}`).getByTestId('cabinet-field-alias').fill(' ');
  await page.locator('[data-testid="cabinet-event"][data-kind="incoming_call"]').check();
  await page.getByTestId('cabinet-header').fill('Ваши заказы в Demo');

  // On, with the outbox.
  const outbox = (await api('GET', '/sms-providers')).find((p) => p.kind === 'outbox');
  await page.getByTestId('cabinet-enabled').check();
  await page.getByTestId('cabinet-provider').selectOption(String(outbox.id));
  await page.getByTestId('cabinet-settings-save').click();
  await fieldRow(`custom.${field.id}`).filter({ hasText: 'Give it a name.' }).waitFor();
  await fieldRow(`custom.${field.id}`).getByTestId('cabinet-field-alias').fill('Дата доставки');
  await page.getByTestId('cabinet-settings-save').click();
  await page.getByTestId('cabinet-settings-saved').filter({ hasText: 'Settings saved.' }).waitFor();
  const link = page.getByTestId('cabinet-link');
  await link.waitFor();
  assert.equal(await link.innerText(), `${server.url}/cabinet/${accountId}`);
  assert.equal(await page.getByTestId('cabinet-link-open').getAttribute('href'), `${server.url}/cabinet/${accountId}`);
  await shot(page, 'cabinet-settings-en');

  // What the server keeps, and what the reloaded screen shows.
  const saved = await api('GET', '/cabinet-settings');
  assert.equal(saved.enabled, true);
  assert.equal(saved.sms_provider_id, outbox.id);
  assert.deepEqual(saved.fields, [
    { field: 'price', alias: 'Стоимость' },
    { field: `custom.${field.id}`, alias: 'Дата доставки' },
  ]);
  assert.deepEqual(saved.stages, [
    { stage_id: stages[0].id, name: stages[0].name },
    { stage_id: stages[1].id, name: 'Готовим предложение' },
  ]);
  assert.ok(saved.event_kinds.includes('incoming_call'));
  await page.reload();
  await page.getByTestId('cabinet-settings-form').waitFor();
  assert.equal(await page.getByTestId('cabinet-enabled').isChecked(), true);
  assert.equal(await page.getByTestId(login).inputValue(), '{{contact.first_name}}, код для входа: {{code}}');
  await counter(page, login).filter({ hasText: '38 / 70' }).waitFor();
  assert.equal(await page.getByTestId('cabinet-provider').inputValue(), String(outbox.id));
  assert.equal(await page.getByTestId('cabinet-header').inputValue(), 'Ваши заказы в Demo');
  assert.equal(await stageRow(stages[1]).getByTestId('cabinet-stage-alias').inputValue(), 'Готовим предложение');
  assert.equal(await stageRow(stages[2]).getByTestId('cabinet-stage-shown').isChecked(), false);
  assert.equal(await fieldRow('price').getByTestId('cabinet-field-alias').inputValue(), 'Стоимость');
  assert.equal(await fieldRow('name').getByTestId('cabinet-field-shown').isChecked(), false);
  assert.equal(await page.locator('[data-testid="cabinet-event"][data-kind="incoming_call"]').isChecked(), true);
  // The cabinet is on, so its logo is served, the one uploaded.
  const current = page.getByTestId('cabinet-logo-current');
  await current.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await current.elementHandle());
  assert.equal(await current.evaluate((img) => `${img.naturalWidth}×${img.naturalHeight}`), '120×60');
  await page.getByTestId('cabinet-link').filter({ hasText: `/cabinet/${accountId}` }).waitFor();
});

test('the SMS screen lists the outbox, sends a test SMS and shows it in the log with its text', async () => {
  await page.getByTestId('cabinet-to-sms').click();
  await page.waitForURL('**/settings/sms');
  const outbox = page.locator('[data-testid="sms-provider"][data-kind="outbox"]');
  await outbox.waitFor();
  assert.equal(await outbox.getByTestId('sms-provider-delete').count(), 0, 'the outbox stays');

  await page.getByTestId('sms-test-phone').fill('+7 912 345-67-89');
  await page.getByTestId('sms-test-send').click();
  await page.getByTestId('sms-test-sent').waitFor();
  const row = page.locator('[data-testid="sms-row"][data-purpose="test"]');
  await row.waitFor();
  assert.equal(await row.getByTestId('sms-to').innerText(), '+79123456789');
  assert.match(await row.getByTestId('sms-text').innerText(), /Test SMS from .+ \(Gatehouse\)|Тестовое SMS от .+ \(Gatehouse\)/);
  assert.equal(await row.getAttribute('data-status'), 'outbox');
  // A phone that is no phone is refused by its field.
  await page.getByTestId('sms-test-phone').fill('12');
  await page.getByTestId('sms-test-send').click();
  await page.getByTestId('sms-test-phone-error').waitFor({ state: 'visible' });
  assert.notEqual(await page.getByTestId('sms-test-phone-error').innerText(), '');

  // An HTTP gateway: its address checked in the browser, its secret header shown only as set.
  await page.getByTestId('sms-provider-name-input').fill('Gateway');
  await page.getByTestId('sms-provider-url').fill('ftp://sms.example.com');
  await page.getByTestId('sms-provider-save').click();
  await page.getByTestId('sms-provider-url-error').filter({ hasText: 'Enter an http:// or https:// address.' }).waitFor();
  await page.getByTestId('sms-provider-url').fill('http://127.0.0.1:9/send');
  await page.getByTestId('sms-provider-authorization').fill('Bearer very-secret');
  await page.getByTestId('sms-provider-save').click();
  const gateway = page.locator('[data-testid="sms-provider"][data-kind="http"]');
  await gateway.waitFor();
  assert.equal(await gateway.getByTestId('sms-provider-authorization').innerText(), 'Authorization: set');
  assert.doesNotMatch(await page.content(), /very-secret/);
  await shot(page, 'sms-en');

  // Deleted after confirming.
  await gateway.getByTestId('sms-provider-delete').click();
  await page.getByTestId('sms-provider-delete-dialog-confirm').click();
  await gateway.waitFor({ state: 'detached' });
});

test('the lead card shows the client chat live and sends the manager’s answer', async () => {
  await page.goto(`${server.url}/leads/${lead.id}`);
  await page.getByTestId('chat-empty').waitFor();
  // The client writes from the cabinet (here an incoming chat message posted as an
  // integration would): it appears without a reload, through the waiting read.
  await api('POST', `/leads/${lead.id}/events`, { kind: 'incoming_chat_message', payload: { text: 'When is the delivery?' } });
  const messages = page.getByTestId('chat-message');
  await messages.filter({ hasText: 'When is the delivery?' }).waitFor({ timeout: 10_000 });
  assert.equal(await messages.first().getAttribute('data-from'), 'client');

  // Sending nothing says so; an answer joins the list under the manager's name.
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-input-error').filter({ hasText: 'Write a message.' }).waitFor();
  await page.getByTestId('chat-input').fill('Tomorrow between 10 and 12.');
  await page.getByTestId('chat-send').click();
  const answer = messages.filter({ hasText: 'Tomorrow between 10 and 12.' });
  await answer.waitFor();
  assert.equal(await answer.getAttribute('data-from'), 'manager');
  assert.equal(await answer.getByTestId('chat-author').innerText(), 'Demo Admin');
  assert.equal(await page.getByTestId('chat-input').inputValue(), '');
  assert.equal(await messages.count(), 2);
  // The timeline has both too.
  await page.locator('[data-testid="event"][data-kind="outgoing_chat_message"]').filter({ hasText: 'Tomorrow between 10 and 12.' }).waitFor();
  const stored = await api('GET', `/leads/${lead.id}/messages`);
  assert.deepEqual(stored.map((m) => [m.from_client, m.text]), [[true, 'When is the delivery?'], [false, 'Tomorrow between 10 and 12.']]);
  await shot(page, 'lead-chat-en');
});

test('the cabinet and SMS screens speak Russian, and fit a phone', async () => {
  await setLanguage(page, 'ru', 'Выйти');
  await page.getByTestId('menu-cabinet-settings').click();
  await page.locator('h1', { hasText: 'Кабинет клиента' }).waitFor();
  await counter(page, 'cabinet-login-template').filter({ hasText: '38 / 70 символов при самых длинных значениях маркеров, 1 SMS' }).waitFor();
  await page.getByTestId('cabinet-login-template').fill('x'.repeat(70) + '{{code}}');
  await page.getByTestId('cabinet-settings-save').click();
  await page.getByTestId('cabinet-login-template-error').filter({ hasText: 'Больше 70 символов' }).waitFor();
  await shot(page, 'cabinet-settings-ru');
  await page.getByTestId('menu-sms').click();
  await page.locator('h2', { hasText: 'Журнал SMS' }).waitFor();
  await page.locator('[data-testid="sms-row"]').first().waitFor();
  await shot(page, 'sms-ru');
  await page.goto(`${server.url}/leads/${lead.id}`);
  await page.locator('h2', { hasText: 'Чат с клиентом' }).waitFor();
  await page.getByTestId('chat-message').nth(1).waitFor();
  await shot(page, 'lead-chat-ru');

  // Same browser context: the session's refresh cookie signs the new tab in.
  const phone = await page.context().newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  phone.on('pageerror', (e) => errors.push(e.message));
  const fits = async (what) => {
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone`);
  };
  await phone.goto(`${server.url}/settings/cabinet`);
  await phone.getByTestId('cabinet-settings-form').waitFor();
  await phone.screenshot({ path: join(artifacts, 'cabinet-settings-phone-ru.png') });
  await phone.getByTestId('cabinet-login-template').scrollIntoViewIfNeeded();
  await phone.screenshot({ path: join(artifacts, 'cabinet-settings-phone-templates-ru.png') });
  await fits('the cabinet settings');
  await phone.goto(`${server.url}/settings/sms`);
  await phone.getByTestId('sms-row').first().waitFor();
  await fits('the SMS screen');
  await phone.goto(`${server.url}/leads/${lead.id}`);
  await phone.getByTestId('chat-message').nth(1).waitFor();
  await phone.getByTestId('chat').scrollIntoViewIfNeeded();
  await phone.screenshot({ path: join(artifacts, 'lead-chat-phone-ru.png') });
  await fits('the lead card');
  await phone.close();

  await setLanguage(page, 'en', 'Sign out');
  assert.deepEqual(errors, []);
});
