import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  PHONE,
  addMessageViaApi,
  chatItem,
  chatItems,
  chatList,
  composer,
  conversation,
  createSessionViaApi,
  features,
  screenshot,
  signUp,
} from './helpers';

test('a tall screen keeps loading sessions until the panel is full; scrolling loads the rest', async ({
  page,
  request,
}) => {
  const user = await signUp(page, await features(request));
  for (let i = 1; i <= 45; i += 1) await createSessionViaApi(request, user, `Claim question ${i}`);

  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.reload();
  const items = chatItems(page);
  await expect(items.first()).toContainText('Claim question 45');
  // One page is 20; the tall panel needs more than that to be full. The list is virtual: each
  // row tells how many chats its group (all of today's here) has.
  const listed = async () => Number(await items.first().getAttribute('aria-setsize'));
  await expect.poll(listed).toBeGreaterThanOrEqual(40);
  const panel = page.getByRole('navigation', { name: 'Chats' });
  const scroller = panel.locator('.session-scroll');
  const full = await scroller.evaluate((el) => el.scrollHeight > el.clientHeight);
  expect(full).toBe(true);

  await page.setViewportSize(DESKTOP);
  for (let i = 0; i < 5 && (await listed()) < 46; i += 1) {
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(300);
  }
  await expect.poll(listed).toBe(46); // 45 + the one made at sign-up
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(items.last()).toHaveAttribute('aria-posinset', '46');
  expect(await items.count()).toBeLessThan(46); // only the rows near view are in the page
  const titles = await items.locator('.session-title').allTextContents();
  expect(new Set(titles).size).toBe(titles.length);
  expect(titles.at(-1)).toBe('New chat');
});

test('phone: the chat list sits behind a menu button', async ({ page, request }) => {
  await page.setViewportSize(PHONE);
  const user = await signUp(page, await features(request));
  await createSessionViaApi(request, user, 'My car insurance');
  await page.reload();
  const nav = page.getByRole('navigation', { name: 'Chats' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Open chat list' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(nav).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close chat list' })).toHaveAttribute('aria-expanded', 'true');
  await screenshot(page, 'sidebar-open-phone');
  await nav.getByRole('button', { name: /New chat/ }).last().click();
  await expect(nav).toBeHidden();
  await expect(conversation(page)).toBeVisible();

  await page.getByRole('button', { name: 'Open chat list' }).click();
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
});

test('theme toggle switches to dark and is remembered', async ({ page, request }) => {
  await signUp(page, await features(request));
  const toDark = page.getByRole('button', { name: 'Switch to dark theme' });
  await toDark.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'dashboard-dark-desktop');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'dashboard-dark-phone');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('everything is reachable by keyboard', async ({ page, request }) => {
  await signUp(page, await features(request));
  // The walk starts from the composer: the app focuses it once the chat is loaded, and not
  // if a key moved the focus first (the walk would then start wherever that key left it).
  await expect(composer(page)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  // Walk backwards from the composer until the New chat button has focus.
  let found = false;
  for (let i = 0; i < 15 && !found; i += 1) {
    found = await page.getByRole('button', { name: 'New chat', exact: true }).evaluate((el) => el === document.activeElement);
    if (!found) await page.keyboard.press('Shift+Tab');
  }
  expect(found).toBe(true);
  await page.keyboard.press('Enter');
  // A new user's chat is still empty, so New chat reopens it instead of storing another.
  await expect(chatItems(page)).toHaveCount(1);
});

test('keyboard into search results: ↓ from the search box, ↑/↓ between them, Enter opens the chat', async ({
  page,
  request,
}) => {
  const user = await signUp(page, await features(request));
  const basement = await createSessionViaApi(request, user, 'Flood damage in the basement');
  await addMessageViaApi(request, user, basement, 'user', 'Water came in through the wall');
  await createSessionViaApi(request, user, 'Flood insurance quote');
  await createSessionViaApi(request, user, 'Car trouble');
  await page.reload();
  await expect(chatItems(page)).toHaveCount(4); // and the one made at sign-up

  await page.keyboard.press('Control+k');
  const search = chatList(page).getByRole('searchbox', { name: 'Search chats' });
  await expect(search).toBeFocused();
  await search.fill('flood');
  await search.press('Enter');
  await expect(chatItems(page)).toHaveCount(2);
  const quote = chatItem(page, 'Flood insurance quote').getByRole('button').first();
  const damage = chatItem(page, 'Flood damage in the basement').getByRole('button').first();
  await expect(chatItems(page).first()).toContainText('Flood insurance quote');

  await page.keyboard.press('ArrowDown');
  await expect(quote).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(damage).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(damage).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(quote).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('flood');

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/c/${basement}$`));
  await expect(conversation(page)).toContainText('Water came in through the wall');
  await expect(damage).toHaveAttribute('aria-current', 'page');
  await expect(composer(page)).toBeFocused();
});
