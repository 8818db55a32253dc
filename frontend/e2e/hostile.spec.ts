import { expect, test } from '@playwright/test';
import {
  addMessageViaApi,
  conversation,
  createSessionViaApi,
  features,
  send,
  signUp,
  waitForReply,
} from './helpers';

const IMG = '<img src=x onerror=alert(1)>';
const JS_LINK = '[x](javascript:alert(1))';
const SCRIPT = '<script>alert(3)</script>';

test('hostile message text renders as text and runs nothing', async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const feats = await features(request);
  const user = await signUp(page, feats);
  const sessionId = await createSessionViaApi(request, user, 'Hostile strings');
  await addMessageViaApi(request, user, sessionId, 'user', IMG);
  await addMessageViaApi(request, user, sessionId, 'assistant', `Click ${JS_LINK} now`);
  await addMessageViaApi(request, user, sessionId, 'assistant', SCRIPT);
  await page.reload();
  await page.getByRole('button', { name: /Hostile strings/ }).click();

  const log = conversation(page);
  await expect(log.getByText(IMG)).toBeVisible();
  await expect(log.getByText(SCRIPT)).toBeVisible();
  await expect(log.locator('img')).toHaveCount(0);
  await expect(log.locator('script')).toHaveCount(0);
  // The javascript: link is not a link at all.
  await expect(log.getByRole('link', { name: 'x', exact: true })).toHaveCount(0);
  await log.getByText('x', { exact: true }).click();
  for (const href of await log.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
    expect(href).not.toMatch(/^\s*javascript:/i);
  }

  if (feats.chat) {
    await send(page, IMG);
    await waitForReply(page);
    await send(page, JS_LINK);
    await waitForReply(page);
    await expect(log.getByText(IMG).first()).toBeVisible();
    await expect(log.locator('img')).toHaveCount(0);
  }
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
});
