/**
 * Issue 14: feedback on a reply kept across a reload (3.10), the tags overview as a filter
 * (3.11), the settings page (password change, delete account) and the shortcut sheet.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import {
  addMessageViaApi,
  authHeaders,
  conversation,
  createSessionViaApi,
  features,
  screenshot,
  signUp,
} from './helpers';

test('a thumbs down with a comment is stored and shown again after a reload', async ({ page, request }) => {
  const user = await signUp(page, await features(request), 'feedback');
  const session = await createSessionViaApi(request, user, 'Deductible');
  await addMessageViaApi(request, user, session, 'user', 'What is my deductible?');
  await addMessageViaApi(request, user, session, 'assistant', 'Your deductible is **$500**.');
  await page.goto(`/c/${session}`);
  const reply = conversation(page).getByRole('article', { name: 'Cora says' }).last();
  await reply.getByRole('button', { name: 'Bad reply' }).click();
  await expect(reply.getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'true');
  await reply.getByRole('button', { name: 'Add a comment' }).click();
  await reply.getByLabel('Comment (optional)').fill('It is $250 in my state');
  await reply.getByRole('button', { name: 'Send comment' }).click();
  await expect(reply.getByText('“It is $250 in my state”')).toBeVisible();
  await screenshot(page, 'feedback-desktop');

  await page.reload();
  const again = conversation(page).getByRole('article', { name: 'Cora says' }).last();
  await expect(again.getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'true');
  await expect(again.getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'false');
  await expect(again.getByText('“It is $250 in my state”')).toBeVisible();
  const stored = await request.get(`/sessions/${user.userId}/${session}`, { headers: authHeaders(user) });
  const messages = ((await stored.json()) as { messages: { feedback?: unknown }[] }).messages;
  expect(messages[1].feedback).toEqual({ rating: 'down', comment: 'It is $250 in my state' });
});

test('the tags overview lists tags by use and filters the list by one', async ({ page, request }) => {
  const user = await signUp(page, await features(request), 'tags');
  const tag = async (title: string, tags: string[]) => {
    const id = await createSessionViaApi(request, user, title);
    const response = await request.patch(`/sessions/${user.userId}/${id}`, {
      headers: authHeaders(user),
      data: { tags },
    });
    expect(response.status(), await response.text()).toBe(200);
  };
  await tag('Car claim', ['car', 'claim']);
  await tag('Car renewal', ['car']);
  await tag('Home policy', ['home']);
  const rows = () => page.locator('.session-scroll').getByRole('listitem');
  await page.reload();
  // The three tagged chats and the empty one the app opened on sign-up.
  await expect(rows()).toHaveCount(4);

  const nav = page.getByRole('navigation', { name: 'Chats' });
  await nav.getByText('Tags', { exact: true }).click();
  const list = nav.getByRole('list', { name: 'Your tags' });
  await expect(list.getByRole('button').first()).toHaveText('car (2)');
  await list.getByRole('button', { name: 'home (1)' }).click();
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toContainText('Home policy');
  await screenshot(page, 'tags-overview-desktop');
  await list.getByRole('button', { name: 'home (1)' }).click();
  await expect(rows()).toHaveCount(4);
});

test('settings: change the password, then log in with the new one only', async ({ page, request }) => {
  const feats = await features(request);
  test.skip(!feats.auth, 'needs accounts');
  const user = await signUp(page, feats, 'settings-pw');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const newPassword = `${user.password}-new`;
  await page.getByLabel('Current password').fill(user.password);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/Your password is changed/)).toBeVisible();

  // The old token no longer works; this page's new one does.
  const old = await request.get('/auth/me', { headers: authHeaders(user) });
  expect(old.status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('don’t match');
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to chats' }).click();
  await expect(conversation(page)).toBeVisible();
});

test('settings: delete the account with its password; then logging in fails', async ({ page, request }) => {
  const feats = await features(request);
  test.skip(!feats.auth, 'needs accounts');
  const user = await signUp(page, feats, 'settings-del');
  await createSessionViaApi(request, user, 'To be erased');
  await page.goto('/settings');
  await page.getByLabel('Password to confirm').fill('not-the-password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Couldn’t delete your account: the password is not right.')).toBeVisible();

  await page.getByLabel('Password to confirm').fill(user.password);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Your account and all your chats have been deleted.')).toBeVisible();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('don’t match');
  const sessions = await request.get(`/sessions/${user.userId}`, { headers: authHeaders(user) });
  expect(sessions.status()).toBe(401);
});

// The settings page's axe checks in both languages, sizes and schemes are in flows.spec.ts.

test('the shortcut sheet opens with ? and Ctrl+/, with no axe violations', async ({ page, request }) => {
  await signUp(page, await features(request), 'shortcuts');
  await conversation(page).click();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(sheet).toContainText('Ctrl');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  await screenshot(page, 'shortcut-sheet-desktop');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await page.keyboard.press('Control+/');
  await expect(sheet).toBeVisible();
});
