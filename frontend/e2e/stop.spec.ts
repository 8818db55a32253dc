/**
 * Stop a reply on a real `cora serve`. The FAQ assistant answers in a few milliseconds,
 * too fast to stop, so this scenario runs on a second server whose assistant is a slow
 * stand-in model (`slowModel.ts`): one word every 100 ms.
 */
import { expect, test } from '@playwright/test';
import { composer, conversation, features, screenshot, send, signUp, waitForReply } from './helpers';
import { SlowCora } from './slowModel';

const server = new SlowCora({ name: 'stop', words: 200 });

test.beforeAll(async () => {
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

test('Stop ends a streaming reply; the text so far is stored, marked as stopped', async ({ page, request }) => {
  test.skip(!(await features(request)).chat, 'the server has no chat route yet');
  await signUp(page, await features(request), 'stop', server.baseURL);
  await send(page, 'Tell me everything about my policy');
  const log = conversation(page);
  const reply = log.getByRole('article', { name: 'Cora says' }).nth(1);
  // Streams in, word by word, without blanking the conversation.
  await expect(reply).toContainText('word3');
  await expect(log.getByText('Tell me everything about my policy')).toBeVisible();
  await expect(log).toHaveAttribute('aria-busy', 'true');

  await page.getByRole('button', { name: 'Stop reply' }).click();
  await expect(reply).toContainText('You stopped this reply.');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(log).toHaveAttribute('aria-busy', 'false');
  const shown = ((await reply.locator('.markdown').textContent()) ?? '').trim();
  expect(shown).toMatch(/^word1 word2 word3/);
  expect(shown).not.toContain('word200');
  // Nothing more arrives after the stop.
  await page.waitForTimeout(600);
  expect(((await reply.locator('.markdown').textContent()) ?? '').trim()).toBe(shown);
  await screenshot(page, 'stopped-reply-desktop');

  // Stored as shown, marked stopped: a reload shows the same.
  await page.reload();
  const stored = conversation(page).getByRole('article', { name: 'Cora says' }).nth(1);
  await expect(stored).toContainText('You stopped this reply.');
  expect(((await stored.locator('.markdown').textContent()) ?? '').trim()).toBe(shown);

  // The conversation goes on.
  await composer(page).fill('Thanks, that is enough');
  await composer(page).press('Enter');
  await expect(conversation(page).getByRole('article', { name: 'Cora says' }).nth(2)).toContainText('word2');
  await page.getByRole('button', { name: 'Stop reply' }).click();
  await waitForReply(page);
});
