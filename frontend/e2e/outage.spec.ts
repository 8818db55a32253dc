import { expect, test } from '@playwright/test';
import { chatList, chatItems, composer, conversation, features, screenshot, send, signUp, waitForReply } from './helpers';
import { readState, startServer, stopServer, waitForHealth } from './server';

test('the server stopped mid-use shows a banner; restarting it recovers without a reload', async ({
  page,
  request,
}) => {
  const feats = await features(request);
  await signUp(page, feats);
  if (feats.chat) {
    await send(page, 'Before the outage');
    await waitForReply(page);
  }
  let reloads = 0;
  page.on('load', () => {
    reloads += 1;
  });

  const state = readState();
  await stopServer(state.pid);
  try {
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'Cora can’t reach the server' });
    await expect(banner).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Chats' }).getByRole('alert')).toContainText(
      'Couldn’t start a new chat',
    );
    if (feats.chat) {
      await send(page, 'Sent while the server is down');
      await expect(conversation(page).getByText(/Not sent/)).toBeVisible();
      await expect(composer(page)).toHaveValue('');
    }
    await screenshot(page, 'offline-banner-desktop');
  } finally {
    const restarted = startServer(state.port, state.dataDir);
    await waitForHealth(restarted.baseURL);
  }

  await expect(page.getByText('Cora can’t reach the server')).toHaveCount(0, { timeout: 15_000 });
  expect(reloads).toBe(0);
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await expect(chatItems(page)).toHaveCount(2);
  if (feats.chat) {
    await chatList(page).getByRole('button', { name: /Before the outage/ }).click();
    await expect(conversation(page).getByText('Before the outage')).toBeVisible();
    await conversation(page).getByRole('button', { name: 'Retry' }).click();
    await waitForReply(page);
    await expect(conversation(page).getByText(/Not sent/)).toHaveCount(0);
    await page.reload();
    await expect(conversation(page).getByText('Sent while the server is down')).toBeVisible();
  }
});
