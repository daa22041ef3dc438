// Team management end to end, as the administrator of an account of its own (the demo account
// starts with a living CRM, members included, and these steps count seats from one): adding users with a password and with
// an invitation, meeting the seat limit with its message, adding a person who already has a
// login in another account, the rights matrix applying its dependencies live, groups, roles,
// bulk acts and filters on the users list, the audit log, and an invitation accepted in another
// browser. The steps share one server and build on each other, so they run in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startGatehouse, launchBrowser, artifacts } from '../lib/gatehouse.mjs';

const STRONG = 'Orchard lantern 42 quietly';
const ADMIN = { name: 'Daria Admin', email: 'admin@team.example.com', password: 'Team lantern 7 orchard quietly' };
const IVAN = { name: 'Ivan Petrov', email: 'ivan.petrov@demo.example.com' };
const OLGA = { name: 'Olga Smirnova', email: 'olga.smirnova@demo.example.com' };
const PETR = { name: 'Petr Sidorov', email: 'petr.sidorov@demo.example.com' };
const ANNA = { name: 'Anna Petrova', email: 'anna.petrova@other.example.com' };

let server;
let browser;
let page;
let accountId;
const errors = [];

// Dialogs are shot as the viewport shows them: a full-page shot would cut their backdrop.
const shot = (name, fullPage = true) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });
const row = (email) => page.locator(`[data-testid="user-row"][data-email="${email}"]`);

async function setLanguage(lang, signOutText) {
  await page.getByTestId('language-select').first().selectOption(lang);
  await page.getByTestId('sign-out').filter({ hasText: signOutText }).waitFor();
}

async function setSeats(general) {
  await server.cli(['accounts', 'set-seats', '--account', String(accountId), '--general', String(general)]);
}

/** Opens the form for a new user and fills who they are. */
async function startNewUser({ name, email }) {
  await page.getByTestId('menu-users').click();
  await page.waitForURL('**/users');
  await page.getByTestId('users-add').click();
  await page.waitForURL('**/users/new');
  await page.getByTestId('user-name').fill(name);
  await page.getByTestId('user-email').fill(email);
}

async function typePassword() {
  await page.getByTestId('user-password-new').fill(STRONG);
  await page.getByTestId('user-password-confirm').fill(STRONG);
}

/** Signs the administrator in as an integration would (tokens in the body). */
async function signInByApi() {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

before(async () => {
  server = await startGatehouse();
  await server.cli(['create-account', '--name', 'Team company', '--admin-email', ADMIN.email,
    '--admin-name', ADMIN.name, '--admin-password', ADMIN.password]);
  // A person of another account, to be added here as they are.
  await server.cli(['create-account', '--name', 'Other company', '--admin-email', ANNA.email,
    '--admin-name', ANNA.name, '--admin-password', 'Another 9 lantern orchard']);
  // The account's id, as an integration would learn it.
  accountId = (await signInByApi()).account.id;
  assert.ok(accountId, 'the account has an id');

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/profile');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the menu has the team pages and the users list counts the seats', async () => {
  for (const id of ['menu-users', 'menu-groups', 'menu-roles', 'menu-audit-log', 'menu-security']) {
    assert.ok(await page.getByTestId(id).isVisible(), id);
  }
  await page.getByTestId('menu-users').click();
  await page.waitForURL('**/users');
  await row(ADMIN.email).waitFor();
  assert.equal(await page.getByTestId('seats-value').innerText(), '1 / 5');
});

test('an administrator adds a user with a password and another with an invitation', async () => {
  await startNewUser(IVAN);
  await typePassword();
  assert.ok(Number(await page.getByTestId('password-strength').getAttribute('data-score')) >= 3);
  await page.getByTestId('user-phone').fill('+7 912 345-67-89');
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-created').filter({ hasText: `${IVAN.name} has been added` }).waitFor();

  // A phone that is not one is refused beside its field, before any request.
  await page.getByTestId('user-add-another').click();
  await page.getByTestId('user-name').fill(OLGA.name);
  await page.getByTestId('user-email').fill(OLGA.email);
  await page.getByTestId('user-phone').fill('call me');
  await page.getByTestId('user-credential-invite').check();
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-phone-error').filter({ hasText: /phone number/ }).waitFor();
  await page.getByTestId('user-phone').fill('');
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-created').filter({ hasText: /invitation .* on its way/ }).waitFor();

  await page.getByTestId('menu-users').click();
  await row(IVAN.email).waitFor();
  await row(OLGA.email).getByText('Invited').waitFor();
  assert.equal(await page.getByTestId('seats-value').innerText(), '3 / 5');
});

test('the seat limit is met with a clear message, and a free user still fits', async () => {
  await setSeats(3);
  await startNewUser(PETR);
  await typePassword();
  await page.getByTestId('user-save').click();
  const refusal = page.getByTestId('user-error');
  await refusal.filter({ hasText: 'All 3 of 3 seats are taken.' }).waitFor();
  await shot('user-seats-exhausted-en');

  await page.getByTestId('user-free').check();
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-created').filter({ hasText: `${PETR.name} has been added` }).waitFor();
  await page.getByTestId('menu-users').click();
  await row(PETR.email).waitFor();
  const seats = page.getByTestId('seats');
  assert.equal(await page.getByTestId('seats-value').innerText(), '3 / 3');
  assert.match(await seats.innerText(), /none free/);
  await setSeats(10);
});

test('a person with a login in another account is added as they are', async () => {
  await startNewUser({ name: 'Anna P', email: ANNA.email });
  await typePassword();
  await page.getByTestId('user-save').click();
  const dialog = page.getByTestId('user-existing-dialog');
  await dialog.waitFor();
  assert.match(await page.getByTestId('user-existing-dialog-text').innerText(),
    /Anna Petrova already has a Gatehouse login.*Their name and password stay theirs/);
  await shot('user-existing-person-en', false);
  await page.getByTestId('user-existing-dialog-confirm').click();
  await page.getByTestId('user-created').filter({ hasText: 'Anna Petrova has been added' }).waitFor();
  await page.getByTestId('user-created').filter({ hasText: 'their own password' }).waitFor();

  // Her name is hers: the editor does not offer to change it.
  await page.getByTestId('user-created-open').click();
  await page.getByTestId('user-identity-locked').waitFor();
  assert.ok(await page.getByTestId('user-name').isDisabled());
  assert.equal(await page.getByTestId('user-name').inputValue(), ANNA.name);
});

test('the rights matrix applies the dependencies as the administrator clicks', async () => {
  await page.getByTestId('menu-users').click();
  await row(IVAN.email).getByTestId('user-link').click();
  await page.waitForURL(/\/users\/\d+$/);
  await page.getByTestId('rights-leads-view').waitFor();
  assert.equal(await page.getByTestId('rights-leads-edit').inputValue(), 'A');

  await page.getByTestId('rights-leads-view').selectOption('G');
  const narrowed = page.getByTestId('rights-narrowed');
  await narrowed.filter({ hasText: 'Edit on leads was narrowed from A to G because of view.' }).waitFor();
  assert.equal(await page.getByTestId('rights-leads-edit').inputValue(), 'G');
  assert.equal(await page.getByTestId('rights-leads-delete').inputValue(), 'G');
  assert.equal(await page.getByTestId('rights-leads-export').inputValue(), 'G');
  // `add` is all or nothing and does not depend on view.
  assert.equal(await page.getByTestId('rights-leads-add').inputValue(), 'A');
  await shot('user-editor-rights-en');

  // Hiding a whole pipeline is one act, and it can be shown again.
  await page.getByTestId('rights-pipeline-hide').click();
  await page.locator('[data-testid="pipeline-rights"][data-hidden="true"]').waitFor();
  await page.getByTestId('rights-pipeline-show').click();
  await page.locator('[data-testid="pipeline-rights"][data-hidden="false"]').waitFor();
  await page.getByTestId('rights-pipeline-hide').click();
  await page.getByTestId('user-section-analytics').uncheck();

  await page.getByTestId('user-save').click();
  await page.getByTestId('user-saved').waitFor();
  await page.reload();
  await page.getByTestId('rights-leads-view').waitFor();
  assert.equal(await page.getByTestId('rights-leads-view').inputValue(), 'G');
  assert.equal(await page.getByTestId('rights-leads-edit').inputValue(), 'G');
  await page.locator('[data-testid="pipeline-rights"][data-hidden="true"]').waitFor();
  assert.equal(await page.getByTestId('user-section-analytics').isChecked(), false);
  await shot('user-editor-en');
  await setLanguage('ru', 'Выйти');
  await page.getByTestId('user-save').filter({ hasText: 'Сохранить' }).waitFor();
  await shot('user-editor-ru');
  await setLanguage('en', 'Sign out');
});

test('groups: added, given to users in bulk, and kept while they have members', async () => {
  await page.getByTestId('menu-groups').click();
  await page.waitForURL('**/groups');
  await page.locator('[data-testid="group-row"][data-default="true"]').waitFor();
  await page.getByTestId('group-new-name').fill('Moscow office');
  await page.getByTestId('group-add').click();
  await page.getByTestId('group-done').filter({ hasText: 'Moscow office' }).waitFor();

  await page.getByTestId('menu-users').click();
  await row(IVAN.email).getByTestId('user-pick').check();
  await row(OLGA.email).getByTestId('user-pick').check();
  assert.equal(await page.getByTestId('users-selected').innerText(), 'Selected: 2');
  await page.getByTestId('users-bulk-action').selectOption('set_group');
  await page.getByTestId('users-bulk-group').selectOption({ label: 'Moscow office' });
  await page.getByTestId('users-bulk-apply').click();
  await page.getByTestId('users-bulk-done').filter({ hasText: 'Users changed: 2' }).waitFor();
  await row(IVAN.email).getByTestId('user-group').filter({ hasText: 'Moscow office' }).waitFor();

  await page.getByTestId('menu-groups').click();
  const moscow = page.locator('[data-testid="group-row"][data-name="Moscow office"]');
  await moscow.getByTestId('group-members').filter({ hasText: '2 users' }).waitFor();
  await moscow.getByTestId('group-delete').click();
  await page.getByTestId('group-delete-dialog-confirm').click();
  await page.getByTestId('group-error').filter({ hasText: 'Moscow office: 2 users are in this group' }).waitFor();
  await shot('groups-en');
  await setLanguage('ru', 'Выйти');
  await page.getByTestId('group-add').filter({ hasText: 'Добавить группу' }).waitFor();
  await shot('groups-ru');
  await setLanguage('en', 'Sign out');
});

test('roles: created with the matrix, given to all matching users, and kept while in use', async () => {
  await page.getByTestId('menu-roles').click();
  await page.waitForURL('**/roles');
  await page.getByTestId('roles-add').click();
  await page.getByTestId('role-name').fill('Managers');
  await page.getByTestId('rights-contacts-edit').selectOption('M');
  await page.getByTestId('rights-narrowed').filter({ hasText: 'Delete on contacts was narrowed from A to M because of edit.' }).waitFor();
  await page.getByTestId('role-save').click();
  await page.waitForURL(/\/roles\/\d+$/);
  await page.getByTestId('role-saved').waitFor();
  assert.equal(await page.getByTestId('rights-contacts-delete').inputValue(), 'M');
  await shot('role-editor-en');

  // Every user of the Moscow office, through "select all matching".
  await page.getByTestId('menu-users').click();
  await page.getByTestId('users-group').selectOption({ label: 'Moscow office' });
  await row(ADMIN.email).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('user-row').count(), 2);
  await page.getByTestId('users-pick-page').check();
  // The page holds all of them, so there is nothing more to select.
  assert.equal(await page.getByTestId('users-select-all-matching').count(), 0);
  await page.getByTestId('users-bulk-action').selectOption('set_role');
  await page.getByTestId('users-bulk-role').selectOption({ label: 'Managers' });
  await page.getByTestId('users-bulk-apply').click();
  await page.getByTestId('users-bulk-done').filter({ hasText: 'Users changed: 2' }).waitFor();
  await row(IVAN.email).getByTestId('user-role').filter({ hasText: 'Managers' }).waitFor();

  await page.getByTestId('menu-roles').click();
  const managers = page.locator('[data-testid="role-row"][data-name="Managers"]');
  await managers.getByTestId('role-members').filter({ hasText: '2 users' }).waitFor();
  await managers.getByTestId('role-delete').click();
  await page.getByTestId('role-delete-dialog-confirm').click();
  await page.getByTestId('role-error').filter({ hasText: 'Managers: 2 users have this role' }).waitFor();
  await shot('roles-en');
  await setLanguage('ru', 'Выйти');
  await page.getByTestId('roles-add').filter({ hasText: 'Добавить роль' }).waitFor();
  await shot('roles-ru');
  await setLanguage('en', 'Sign out');
});

test('the users list filters, orders and selects all matching', async () => {
  await page.getByTestId('menu-users').click();
  await row(ANNA.email).waitFor();
  // Free users take no seat and are a filter of their own.
  await page.getByTestId('users-status').selectOption('free');
  await row(PETR.email).waitFor();
  await row(IVAN.email).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('user-row').count(), 1);
  await page.getByTestId('users-status').selectOption('active');

  await page.getByTestId('users-search').fill('petrov');
  await page.getByTestId('users-apply').click();
  await row(OLGA.email).waitFor({ state: 'detached' });
  const found = await page.getByTestId('user-row').evaluateAll((rows) => rows.map((r) => r.dataset.email));
  assert.deepEqual(found.sort(), [ANNA.email, IVAN.email].sort());

  await page.getByTestId('users-clear').click();
  await row(OLGA.email).waitFor();
  await page.getByTestId('users-sort-name').click();
  await page.getByTestId('user-link').first().filter({ hasText: PETR.name }).waitFor();
  const names = await page.getByTestId('user-link').allInnerTexts();
  assert.deepEqual(names, [...names].sort((a, b) => b.localeCompare(a)), 'Z to A');
  await page.getByTestId('users-sort-name').click();

  // "Select all matching" sends the filter: all five active users lose their role.
  await page.getByTestId('users-two-factor').selectOption('false');
  await page.getByTestId('user-row').nth(4).waitFor();
  await page.getByTestId('users-pick-page').check();
  assert.equal(await page.getByTestId('users-selected').innerText(), 'Selected: 5');
  await page.getByTestId('users-bulk-action').selectOption('set_role');
  await page.getByTestId('users-bulk-role').selectOption('');
  await shot('users-en');
  await page.getByTestId('users-bulk-apply').click();
  await page.getByTestId('users-bulk-done').filter({ hasText: 'Users changed: 2' }).waitFor();
  await row(IVAN.email).getByTestId('user-role').filter({ hasText: 'Own rights' }).waitFor();
  await setLanguage('ru', 'Выйти');
  await page.getByTestId('users-add').filter({ hasText: 'Добавить пользователя' }).waitFor();
  await shot('users-ru');
  await setLanguage('en', 'Sign out');
});

test('the audit log tells who did what, in sentences', async () => {
  await page.getByTestId('menu-audit-log').click();
  await page.waitForURL('**/security/audit-log');
  await page.locator('[data-testid="audit-row"][data-action="user_created"]').first().waitFor();
  await page.getByTestId('audit-sentence').filter({ hasText: `Daria Admin added ${IVAN.name}.` }).waitFor();
  await page.getByTestId('audit-sentence').filter({ hasText: 'Daria Admin created the group “Moscow office”.' }).waitFor();
  // The rights and the sections changed in one save: an edit, with before and after.
  const edited = page.locator('[data-testid="audit-row"][data-action="user_updated"]').first();
  await edited.getByTestId('audit-sentence').filter({ hasText: `Daria Admin edited ${IVAN.name}.` }).waitFor();
  // Long lists of changes open on request.
  await edited.locator('summary').click();
  await edited.getByTestId('audit-changes').filter({ hasText: 'Rights.leads.edit: A → G' }).waitFor();
  await shot('audit-log-en');

  await page.getByTestId('audit-action').selectOption('group_changed');
  await page.locator('[data-testid="audit-row"][data-action="user_created"]').first().waitFor({ state: 'detached' });
  const actions = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.action));
  assert.ok(actions.length >= 2);
  assert.ok(actions.every((a) => a === 'group_changed'), actions.join());
  await page.getByTestId('audit-sentence').filter({ hasText: `moved ${OLGA.name} to the group “Moscow office”` }).waitFor();
  await setLanguage('ru', 'Выйти');
  await page.getByTestId('audit-sentence').filter({ hasText: 'перевёл(а) пользователя' }).first().waitFor();
  await shot('audit-log-ru');
  await setLanguage('en', 'Sign out');
});

test('an invited user chooses a password from the mailed link and is signed in', async () => {
  await page.getByTestId('menu-outbox').click();
  await page.waitForURL('**/outbox');
  const invitation = page.locator('[data-testid="outbox-row"]', {
    has: page.locator(`[data-testid="outbox-to"]:text-is("${OLGA.email}")`),
  }).first();
  await invitation.waitFor();
  await invitation.locator('summary').click();
  const href = await invitation.locator('a[href*="/invitation"]').first().getAttribute('href');
  const link = new URL(href);
  assert.match(link.hash, /^#token=./, 'the token travels in the fragment');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const invited = await context.newPage();
  invited.on('pageerror', (e) => errors.push(e.message));
  await invited.goto(`${server.url}${link.pathname}${link.hash}`);
  await invited.getByTestId('invitation-new').waitFor();
  assert.equal(new URL(invited.url()).hash, '', 'the token leaves the address bar');
  await invited.getByTestId('invitation-new').fill(STRONG);
  await invited.getByTestId('invitation-confirm').fill(STRONG);
  await invited.getByTestId('password-strength').waitFor();
  await invited.screenshot({ path: join(artifacts, 'invitation-en.png') });
  await invited.getByTestId('invitation-submit').click();
  await invited.waitForURL('**/profile');
  assert.equal(await invited.getByTestId('profile-email').innerText(), OLGA.email);
  // Not an administrator: no team pages in the menu.
  assert.equal(await invited.getByTestId('menu-users').count(), 0);

  // The link works once.
  const again = await context.newPage();
  await again.goto(`${server.url}${link.pathname}${link.hash}`);
  await again.getByTestId('invitation-new').fill(STRONG);
  await again.getByTestId('invitation-confirm').fill(STRONG);
  await again.getByTestId('invitation-submit').click();
  await again.getByTestId('invitation-error').filter({ hasText: /invalid, has been used or has expired/ }).waitFor();
  await context.close();

  await page.getByTestId('menu-users').click();
  await row(OLGA.email).waitFor();
  assert.equal(await row(OLGA.email).getByText('Invited').count(), 0);
});

test('sections hidden for a member leave the menu', async () => {
  await page.getByTestId('menu-users').click();
  await row(ADMIN.email).getByTestId('user-link').click();
  await page.getByTestId('user-section-mail').uncheck();
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-saved').waitFor();
  // The outbox is the mail section of this app; the other pages stay.
  await page.getByTestId('menu-outbox').waitFor({ state: 'detached' });
  assert.ok(await page.getByTestId('menu-users').isVisible());
  await page.getByTestId('user-section-mail').check();
  await page.getByTestId('user-save').click();
  await page.getByTestId('menu-outbox').waitFor();
});

test('"select all matching" reaches the users beyond the page', async () => {
  // 52 more users, added as an integration would, each with an invitation.
  await setSeats(100);
  const { access_token: token } = await signInByApi();
  for (let n = 1; n <= 52; n += 1) {
    const response = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Bulk Member', email: `bulk-${n}@demo.example.com`, invite: true }),
    });
    assert.equal(response.status, 201, await response.text());
  }
  await page.getByTestId('menu-users').click();
  await page.waitForURL('**/users');
  await page.getByTestId('users-search').fill('bulk-');
  await page.getByTestId('users-apply').click();
  await page.getByTestId('users-total').filter({ hasText: 'Found: 52' }).waitFor();
  await page.getByTestId('users-pages-status').filter({ hasText: 'Page 1 of 2' }).waitFor();
  assert.equal(await page.getByTestId('user-row').count(), 50);

  await page.getByTestId('users-pick-page').check();
  await page.getByTestId('users-select-all-matching').click();
  await page.getByTestId('users-all-matching').filter({ hasText: 'All 52 users matching the filters are selected.' }).waitFor();
  assert.equal(await page.getByTestId('users-selected').innerText(), 'Selected: 52');
  await page.getByTestId('users-bulk-action').selectOption('set_group');
  await page.getByTestId('users-bulk-group').selectOption({ label: 'Moscow office' });
  await page.getByTestId('users-bulk-apply').click();
  await page.getByTestId('users-bulk-done').filter({ hasText: 'Users changed: 52' }).waitFor();

  // The ones on the second page were reached too; the others were not.
  await page.getByTestId('users-pages-next').click();
  await page.getByTestId('users-pages-status').filter({ hasText: 'Page 2 of 2' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-row"]').length === 2);
  const groups = await page.getByTestId('user-group').allInnerTexts();
  assert.equal(groups.length, 2);
  assert.ok(groups.every((g) => g === 'Moscow office'), groups.join());
  // Everyone else kept their group: the administrator is still in the default one.
  await page.getByTestId('users-search').fill(ADMIN.email);
  await page.getByTestId('users-apply').click();
  await row(ADMIN.email).getByTestId('user-group').filter({ hasText: 'Sales department' }).waitFor();
  await page.getByTestId('users-clear').click();
  await page.getByTestId('users-total').filter({ hasText: 'Found: 57' }).waitFor();
  assert.deepEqual(errors, [], 'no uncaught errors in the pages');
});
