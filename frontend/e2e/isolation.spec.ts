import { expect, test } from '@playwright/test';
import { authHeaders, chatList, chatItems, createSessionViaApi, features, signUp } from './helpers';

test('a second user never sees the first user’s sessions', async ({ browser, request }) => {
  const feats = await features(request);

  const aliceContext = await browser.newContext();
  const alicePage = await aliceContext.newPage();
  const alice = await signUp(alicePage, feats, 'alice');
  await createSessionViaApi(request, alice, 'Alice private claim');
  await alicePage.reload();
  await expect(chatList(alicePage).getByRole('button', { name: /Alice private claim/ })).toBeVisible();

  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  const bob = await signUp(bobPage, feats, 'bob');
  await expect(chatItems(bobPage)).toHaveCount(1);
  await expect(bobPage.getByText('Alice private claim')).toHaveCount(0);
  await bobPage.reload();
  await expect(chatItems(bobPage)).toHaveCount(1);
  await expect(bobPage.getByText('Alice private claim')).toHaveCount(0);

  if (feats.auth) {
    // Bob's token cannot read Alice's sessions through the API either.
    const response = await request.get(`/sessions/${alice.userId}`, { headers: authHeaders(bob) });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { detail: unknown }).detail).toBeTruthy();
  }
  await aliceContext.close();
  await bobContext.close();
});
