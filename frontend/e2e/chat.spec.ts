import { expect, test } from '@playwright/test';
import {
  PHONE,
  authHeaders,
  chatItem,
  chatList,
  chatItems,
  chatButton,
  composer,
  conversation,
  createSessionViaApi,
  features,
  screenshot,
  send,
  signUp,
  waitForReply,
} from './helpers';

test('a new user gets a session with Cora’s greeting and starter prompts', async ({ page, request }) => {
  await signUp(page, await features(request));
  await expect(conversation(page)).toContainText('I’m Cora');
  const starters = page.getByRole('group', { name: 'Suggested questions' });
  await expect(starters.getByRole('button')).toHaveText([
    'File a claim',
    'Understand my deductible',
    'Change my policy',
  ]);
  await expect(chatItems(page)).toHaveCount(1);
  await expect(chatButton(page, 0)).toHaveAttribute('aria-current', 'page');
  await expect(chatButton(page, 0)).toContainText('New chat');
  await expect(composer(page)).toBeFocused();
  await screenshot(page, 'dashboard-new-desktop');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'dashboard-new-phone');
  // The top bar fits a phone, down to 360 px wide, each action on one line.
  for (const width of [PHONE.width, 360]) {
    await page.setViewportSize({ ...PHONE, width });
    const logOut = await page.getByRole('button', { name: 'Log out' }).boundingBox();
    expect(logOut && [logOut.x + logOut.width <= width, logOut.height <= 44]).toEqual([true, true]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
  }
});

test.describe('chatting', () => {
  test.beforeEach(async ({ request }) => {
    test.skip(!(await features(request)).chat, 'the server has no chat route yet');
  });

  test('send: shown at once, reply streams in, both survive a reload', async ({ page, request }) => {
    await signUp(page, await features(request));
    // The conversation pane is never replaced (blanked) while the reply streams in.
    await conversation(page).evaluate((log) => {
      const w = window as unknown as { __logReplaced: boolean };
      w.__logReplaced = false;
      new MutationObserver(() => {
        if (!log.isConnected) w.__logReplaced = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await send(page, 'How do I file a claim for a broken window?');
    await expect(conversation(page).getByText('How do I file a claim for a broken window?')).toBeVisible();
    await waitForReply(page);
    expect(await page.evaluate(() => (window as unknown as { __logReplaced: boolean }).__logReplaced)).toBe(false);
    const replies = conversation(page).getByRole('article', { name: 'Cora says' });
    await expect(replies).toHaveCount(2); // greeting + reply
    const reply = (await replies.nth(1).textContent()) ?? '';
    expect(reply.trim().length).toBeGreaterThan(0);
    // The list shows the derived title and moves it to the top.
    await expect(chatButton(page, 0)).toContainText('How do I file a claim for a broken window?');
    await screenshot(page, 'dashboard-conversation-desktop');

    await page.reload();
    await expect(conversation(page).getByText('How do I file a claim for a broken window?')).toBeVisible();
    await expect(conversation(page).getByRole('article', { name: 'Cora says' })).toHaveCount(2);
    await expect(conversation(page).getByRole('article', { name: 'You say' })).toHaveCount(1);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'dashboard-conversation-phone');
  });

  test('a starter prompt sends on click', async ({ page, request }) => {
    await signUp(page, await features(request));
    await page.getByRole('button', { name: 'Understand my deductible' }).click();
    await expect(conversation(page).getByRole('article', { name: 'You say' })).toContainText('Understand my deductible');
    await waitForReply(page);
    await expect(page.getByRole('group', { name: 'Suggested questions' })).toHaveCount(0);
  });

  test('when Cora is not sure, its suggested questions stay after a reload and one click asks one', async ({ page, request }) => {
    await signUp(page, await features(request));
    await send(page, 'rental car');
    await waitForReply(page);
    const suggestions = page.getByRole('group', { name: 'Suggestions' });
    await expect(suggestions.getByRole('button')).toHaveText([
      'Does my car insurance cover a rental car when I travel?',
      'Will I get a rental car while my car is being repaired?',
      'Am I covered if I rent out my car or home, or drive without owning a car?',
      'Talk to a person',
    ]);

    await screenshot(page, 'suggestions-desktop');
    await page.reload(); // offered from the stored reply's metadata, not only the live one
    await suggestions.getByRole('button', { name: 'Will I get a rental car while my car is being repaired?' }).click();
    const asked = conversation(page).getByRole('article', { name: 'You say' });
    await expect(asked.last()).toContainText('Will I get a rental car while my car is being repaired?');
    await waitForReply(page);
    const answer = conversation(page).getByRole('article', { name: 'Cora says' }).last();
    await expect(answer).toContainText('rental');
    await expect(answer).not.toContainText('not sure');
    await expect(suggestions).toHaveCount(0);
  });

  test('when Cora cannot help, one click asks for a person and gets how to reach one', async ({ page, request }) => {
    await signUp(page, await features(request));
    await send(page, 'write me a poem about my cat');
    await waitForReply(page);
    const next = page.getByRole('group', { name: 'Suggestions' });
    await expect(next.getByRole('button')).toHaveText(['Talk to a person']);

    await next.getByRole('button', { name: 'Talk to a person' }).click();
    await expect(conversation(page).getByRole('article', { name: 'You say' }).last()).toContainText('Talk to a person');
    await waitForReply(page);
    await expect(conversation(page).getByRole('article', { name: 'Cora says' }).last()).toContainText('You can reach a person');
    await expect(next).toHaveCount(0);
  });

  test('a second question in one message is offered as a button that asks it', async ({ page, request }) => {
    await signUp(page, await features(request));
    await send(page, 'How do I file a claim after a car accident and will it raise my rates?');
    await waitForReply(page);
    const offer = page.getByRole('group', { name: 'Suggestions' }).getByRole('button');
    await expect(offer).toHaveText(['Will filing a claim raise my premium?']);
    await offer.click();
    await waitForReply(page);
    await expect(conversation(page).getByRole('article', { name: 'You say' })).toHaveCount(2);
    await expect(conversation(page).getByRole('article', { name: 'Cora says' }).last()).toContainText('premium');
  });

  test('new session, then switch back and forth with the right messages each time', async ({ page, request }) => {
    await signUp(page, await features(request));
    await send(page, 'First topic: my car policy');
    await waitForReply(page);

    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await expect(chatItems(page)).toHaveCount(2);
    await expect(chatButton(page, 0)).toHaveAttribute('aria-current', 'page');
    await expect(conversation(page).getByText('First topic: my car policy')).toHaveCount(0);
    await send(page, 'Second topic: my home insurance');
    await waitForReply(page);

    const first = chatList(page).getByRole('button', { name: /First topic/ });
    const second = chatList(page).getByRole('button', { name: /Second topic/ });
    for (let round = 0; round < 2; round += 1) {
      await first.click();
      await expect(first).toHaveAttribute('aria-current', 'page');
      await expect(conversation(page).getByText('First topic: my car policy')).toBeVisible();
      await expect(conversation(page).getByText('Second topic: my home insurance')).toHaveCount(0);
      await second.click();
      await expect(second).toHaveAttribute('aria-current', 'page');
      await expect(conversation(page).getByText('Second topic: my home insurance')).toBeVisible();
      await expect(conversation(page).getByText('First topic: my car policy')).toHaveCount(0);
    }
  });

  test('sending while scrolled up brings the view down to the message and its reply', async ({ page, request }) => {
    const user = await signUp(page, await features(request));
    const sessionId = await createSessionViaApi(request, user, 'Long chat');
    const messages = Array.from({ length: 40 }, (_, i) => ({
      sender: i % 2 === 0 ? 'user' : 'assistant',
      text: `Earlier line ${i + 1}`,
    }));
    const put = await request.put(`/sessions/${user.userId}/${sessionId}`, { headers: authHeaders(user), data: { messages } });
    expect(put.status(), await put.text()).toBe(200);
    await page.reload();
    await chatItem(page, /Long chat/).getByRole('button').first().click();
    await expect(conversation(page).getByText('Earlier line 40', { exact: true })).toBeVisible();
    await conversation(page).evaluate((el) => el.scrollTo(0, 0));
    await expect(conversation(page).getByText('Earlier line 40', { exact: true })).not.toBeInViewport();

    await send(page, 'what does renters insurance cover');
    await waitForReply(page);
    await expect(conversation(page).getByText('what does renters insurance cover', { exact: true })).toBeInViewport();
    await expect
      .poll(() => conversation(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight))
      .toBeLessThan(80);
  });

  test('keyboard: Shift+Enter is a newline, Ctrl+Shift+O starts a new chat', async ({ page, request }) => {
    await signUp(page, await features(request));
    await composer(page).click();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await expect(composer(page)).toHaveValue('line one\nline two');
    await page.keyboard.press('Enter');
    await waitForReply(page);
    // A customer's message is shown as typed: its line break kept, a "#" not made a heading.
    const mine = conversation(page).getByRole('article', { name: 'You say' });
    expect(await mine.locator('.user-text').innerText()).toBe('line one\nline two');
    await send(page, '# not a heading *really*');
    await waitForReply(page);
    await expect(mine.last()).toContainText('# not a heading *really*');
    await expect(mine.last().getByRole('heading')).toHaveCount(0);

    await page.keyboard.press('Control+Shift+O');
    await expect(chatItems(page)).toHaveCount(2);
    await expect(composer(page)).toBeFocused();
  });
});
