/**
 * Screenshots of the main screens, desktop (1280x800) and phone (390x844), light and dark,
 * into <repo>/test-output/screenshots/. With CORA_UPDATE_DOCS_SCREENSHOT=1 the desktop
 * conversation (light) is also copied to docs/screenshot.png for the README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  DESKTOP,
  PHONE,
  addMessageViaApi,
  authHeaders,
  chatItems,
  chatList,
  conversation,
  createSessionViaApi,
  features,
  screenshot,
  send,
  signUp,
  waitForReply,
} from './helpers';
import { repoRoot, screenshotDir } from './server';

test('main screens: desktop and phone, light and dark', async ({ page, request }) => {
  test.setTimeout(90_000);
  const feats = await features(request);
  test.skip(!feats.chat, 'the server has no chat route yet');
  const user = await signUp(page, feats, 'maria');
  // A few earlier chats for the sidebar, tagged.
  const older = [
    { title: 'Windshield chip after a gravel road', tags: ['car'], text: 'A stone chipped my windshield on the gravel road.' },
    { title: 'Moving house: transferring my policy', tags: ['home'], text: 'I am moving next month. What happens to my home policy?' },
    { title: 'Travel insurance for a ski trip', tags: ['travel'], text: 'Am I covered for skiing in Austria?' },
  ];
  for (const chat of older) {
    const id = await createSessionViaApi(request, user, chat.title);
    await addMessageViaApi(request, user, id, 'user', chat.text);
    await request.patch(`/sessions/${user.userId}/${id}`, { headers: authHeaders(user), data: { tags: chat.tags } });
  }
  await page.reload();
  await expect(chatItems(page)).toHaveCount(4);
  await chatItems(page).last().getByRole('button').first().click();
  // A real conversation with Cora's FAQ assistant.
  await send(page, 'How do I add my daughter as a driver?');
  await waitForReply(page);
  await send(page, 'Will my premium go up?');
  await waitForReply(page);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(DESKTOP);
    await page.mouse.move(640, 790); // no hover highlight in the list
    await conversation(page).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot(page, `conversation-${scheme}-desktop`);

    await page.keyboard.press('Control+k');
    await expect(chatList(page).getByRole('searchbox', { name: 'Search chats' })).toBeFocused();
    await page.keyboard.type('gravel');
    await expect(chatItems(page)).toHaveCount(1);
    await screenshot(page, `search-${scheme}-desktop`);
    await chatList(page).getByRole('searchbox', { name: 'Search chats' }).press('Escape');
    await expect(chatItems(page)).toHaveCount(4);

    await chatItems(page).first().getByRole('button', { name: 'More options' }).click();
    await screenshot(page, `chat-menu-${scheme}-desktop`);
    await page.keyboard.press('Escape');

    await page.setViewportSize(PHONE);
    await conversation(page).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot(page, `conversation-${scheme}-phone`);
    await page.getByRole('button', { name: 'Open chat list' }).click();
    await expect(chatList(page)).toBeVisible();
    await screenshot(page, `chat-list-${scheme}-phone`);
    await page.keyboard.press('Escape');
    await expect(chatList(page)).toBeHidden();
  }

  if (process.env.CORA_UPDATE_DOCS_SCREENSHOT === '1') {
    fs.copyFileSync(
      path.join(screenshotDir, 'conversation-light-desktop.png'),
      path.join(repoRoot, 'docs', 'screenshot.png'),
    );
  }
});
