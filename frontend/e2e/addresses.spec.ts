/**
 * Issue 11 item 6 and issue 14 on a real `cora serve` in Chromium: each chat at its own
 * address (Back, Forward, reload, not found), log-out in one tab logs out the other, and
 * axe on a chat with code in the user's bubble in both themes (contrast), on desktop and phone.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import {
  PHONE,
  addMessageViaApi,
  chatList,
  conversation,
  createSessionViaApi,
  features,
  screenshot,
  signUp,
} from './helpers';

test('each chat has its own address: Back, Forward and reload work; an unknown id says not found', async ({
  page,
  request,
}) => {
  const user = await signUp(page, await features(request), 'addr');
  const first = await createSessionViaApi(request, user, 'Windshield claim');
  await addMessageViaApi(request, user, first, 'user', 'My windshield cracked');
  const second = await createSessionViaApi(request, user, 'Home policy');
  await addMessageViaApi(request, user, second, 'user', 'Does my home policy cover floods?');

  await page.goto(`/c/${first}`);
  await expect(conversation(page).getByText('My windshield cracked')).toBeVisible();
  await chatList(page).getByRole('button', { name: /Home policy/ }).click();
  await expect(conversation(page).getByText('Does my home policy cover floods?')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/c/${second}$`));

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/c/${first}$`));
  await expect(conversation(page).getByText('My windshield cracked')).toBeVisible();
  await page.goForward();
  await expect(conversation(page).getByText('Does my home policy cover floods?')).toBeVisible();

  await page.reload();
  await expect(page).toHaveURL(new RegExp(`/c/${second}$`));
  await expect(conversation(page).getByText('Does my home policy cover floods?')).toBeVisible();

  await page.goto('/c/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('heading', { name: 'Chat not found' })).toBeVisible();
  await screenshot(page, 'chat-not-found-desktop');
  // An address no chat can have (a link cut short) is not found without asking the server.
  const refused: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await page.goto(`/c/${second.slice(0, 20)}`);
  await expect(page.getByRole('heading', { name: 'Chat not found' })).toBeVisible();
  expect(refused).toEqual([]);
});

test('logging out in one tab logs out the other tabs', async ({ page, request }) => {
  const feats = await features(request);
  test.skip(!feats.auth, 'the server has no accounts');
  await signUp(page, feats, 'tabs');
  const other = await page.context().newPage();
  await other.goto('/');
  await expect(conversation(other)).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in to Cora' })).toBeVisible();
  await expect(other.getByRole('heading', { name: 'Log in to Cora' })).toBeVisible();
  await expect(other.getByText('You logged out in another tab.')).toBeVisible();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`code in the user's bubble is shown as typed and readable, no axe violations (${colorScheme})`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme });
    const user = await signUp(page, await features(request), `axe-${colorScheme}`);
    const session = await createSessionViaApi(request, user, 'Code sample');
    await addMessageViaApi(request, user, session, 'user', 'Is this my policy number?\n\n```\nPOL-2026-000123\n```');
    await page.goto(`/c/${session}`);
    // A customer's message is not Markdown: the fence stays as typed, on its own lines.
    const typed = conversation(page).locator('.message-user .user-text');
    expect(await typed.innerText()).toBe('Is this my policy number?\n\n```\nPOL-2026-000123\n```');
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    await screenshot(page, `code-in-user-bubble-${colorScheme}`);
  });
}

test('phone: every control is at least 44 px tall, no shortcut hints, axe clean', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  try {
    await signUp(page, await features(page.request), 'phone');
    await page.getByRole('button', { name: 'Open chat list' }).click();
    await expect(chatList(page)).toBeVisible();
    await expect(page.locator('.search-key')).toHaveCount(0);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, a[href], input, textarea')]
        .filter((el) => el.getClientRects().length > 0 && !el.matches('.skip-link, .visually-hidden'))
        .filter((el) => el.getBoundingClientRect().height < 44)
        .map((el) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName),
    );
    expect(small).toEqual([]);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
    await screenshot(page, 'chat-list-phone');
  } finally {
    await context.close();
  }
});
