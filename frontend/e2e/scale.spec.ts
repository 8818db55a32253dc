import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  authHeaders,
  chatItem,
  chatItems,
  chatList,
  composer,
  conversation,
  features,
  signUp,
  type TestUser,
} from './helpers';

/** Chats imported per request; the batches are sent in parallel. */
const BATCH = 250;
const CLICKS = 7;
const CPU_SLOWDOWN = 4;

const medians: Record<string, number> = {};

function label(n: number): string {
  return String(n).padStart(4, '0');
}

/** `count` chats, one question each, a minute apart (newest first), through the import API. */
async function importChats(request: APIRequestContext, user: TestUser, count: number): Promise<string[]> {
  const newest = Date.now() - 60_000;
  const session = (n: number) => {
    const at = new Date(newest - n * 60_000).toISOString();
    return {
      session_id: randomUUID(),
      title: `Scale chat ${label(n)}`,
      created_at: at,
      updated_at: at,
      messages: [{ id: randomUUID(), sender: 'user', text: `Question ${label(n)} about my claim.`, timestamp: at }],
    };
  };
  const batches: number[][] = [];
  for (let start = 0; start < count; start += BATCH) {
    batches.push(Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => start + i));
  }
  const imported = await Promise.all(
    batches.map(async (numbers) => {
      const response = await request.post(`/sessions/${user.userId}/import`, {
        headers: authHeaders(user),
        data: { format: 'cora-sessions', version: 1, sessions: numbers.map(session) },
        timeout: 120_000,
      });
      expect(response.status(), await response.text()).toBe(201);
      return ((await response.json()) as { imported: string[] }).imported;
    }),
  );
  return imported.flat();
}

async function patchChat(request: APIRequestContext, user: TestUser, sessionId: string, data: object) {
  const response = await request.patch(`/sessions/${user.userId}/${sessionId}`, { headers: authHeaders(user), data });
  expect(response.status(), await response.text()).toBe(200);
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('nav').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Page through the whole list ("Show older chats" until there is no more). */
async function loadEveryChat(page: Page): Promise<void> {
  const loading = chatList(page).getByText('Loading more chats…');
  for (let pages = 0; pages < 300; pages += 1) {
    await expect(loading).toHaveCount(0, { timeout: 60_000 });
    // Clicked in the page: scrolling to the button may itself load the next page and hide it.
    const clicked = await page.evaluate(() => {
      const more = document.querySelector<HTMLButtonElement>('nav .load-more');
      more?.click();
      return more !== null;
    });
    if (!clicked) return;
  }
  throw new Error('the list never reached its end');
}

/** Milliseconds from pressing on the row to its chat's question shown in the conversation. */
async function timeClick(page: Page, rowIndex: number): Promise<number> {
  const row = chatItems(page).nth(rowIndex);
  const title = (await row.locator('.session-title').textContent()) ?? '';
  const number = /Scale chat (\d{4})/.exec(title)?.[1];
  expect(number, `row ${rowIndex} is an imported chat`).toBeTruthy();
  const question = `Question ${number} about my claim.`;
  await page.evaluate((text) => {
    const w = window as unknown as { coraShown: Promise<number>; coraPressed: number };
    w.coraShown = new Promise((resolve) => {
      const shown = () => document.querySelector('[role="log"]')?.textContent?.includes(text) ?? false;
      const observer = new MutationObserver(() => {
        if (!shown()) return;
        observer.disconnect();
        // The frame after the change: it has been laid out and painted.
        requestAnimationFrame(() => resolve(performance.now()));
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    document.addEventListener('pointerdown', () => (w.coraPressed = performance.now()), {
      once: true,
      capture: true,
    });
  }, question);
  await row.locator('.session-item').click();
  await expect(conversation(page).getByText(question)).toBeVisible();
  await expect(row.locator('.session-item')).toHaveAttribute('aria-current', 'page');
  return page.evaluate(async () => {
    const w = window as unknown as { coraShown: Promise<number>; coraPressed: number };
    return (await w.coraShown) - w.coraPressed;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

for (const count of [4, 2000]) {
  test(`switching chats with ${count} chats loaded, at ${CPU_SLOWDOWN}x CPU slowdown`, async ({ page, request }) => {
    test.setTimeout(600_000);
    const user = await signUp(page, await features(request), 'scale');
    await importChats(request, user, count);
    await page.reload();
    await expect(chatItems(page).first()).toBeVisible();
    await loadEveryChat(page);
    const scroller = chatList(page).locator('.session-scroll');
    // Every chat is reachable: the oldest is shown at the end of the list.
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(chatList(page).getByText(`Scale chat ${label(count - 1)}`)).toBeVisible();
    await scroller.evaluate((el) => el.scrollTo(0, 0));
    await expect(chatList(page).getByText(`Scale chat ${label(0)}`)).toBeVisible();

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const times: number[] = [];
    try {
      // Rows 1.. are the imported chats, newest first (row 0 may be the sign-up's chat).
      for (let click = 0; click < CLICKS; click += 1) {
        times.push(await timeClick(page, (click % Math.min(count, 4)) + 1));
      }
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.detach();
    }
    const rows = await chatItems(page).count();
    const elements = await chatList(page).locator('*').count();
    medians[String(count)] = median(times);
    console.log(
      `scale: ${count} chats, ${CPU_SLOWDOWN}x CPU: click to shown median ${median(times).toFixed(0)} ms ` +
        `(${times.map((t) => t.toFixed(0)).join(', ')}); ${rows} rows and ${elements} elements in the list`,
    );
    expect(rows).toBeLessThan(100);
    expect(median(times)).toBeLessThan(5_000);
  });
}

test('a long virtual list keeps the Pinned group, the archive, focus while scrolling, and axe clean', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const user = await signUp(page, await features(request), 'scale-list');
  const ids = await importChats(request, user, 300);
  await patchChat(request, user, ids[250], { pinned: true });
  await patchChat(request, user, ids[299], { archived: true });
  await page.reload();
  const nav = chatList(page);
  const pinned = chatItems(page).first();
  await expect(nav.getByRole('heading', { level: 3 }).first()).toHaveText('Pinned');
  await expect(pinned).toContainText('Scale chat 0250');
  await expect(pinned).toHaveAttribute('aria-setsize', '1');
  await expect(pinned).toHaveAttribute('aria-posinset', '1');
  await loadEveryChat(page);

  // A focused row scrolled far out of view stays in the page, and keeps focus.
  const row = chatItems(page).nth(2).locator('.session-item');
  const title = await row.locator('.session-title').textContent();
  await row.focus();
  const scroller = nav.locator('.session-scroll');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(nav.getByText('Scale chat 0298')).toBeVisible();
  expect(await chatItems(page).count()).toBeLessThan(100);
  expect(await page.evaluate(() => document.activeElement?.querySelector('.session-title')?.textContent)).toBe(title);
  await expectNoAxeViolations(page);

  await nav.getByRole('button', { name: 'Archived' }).click();
  await expect(nav.getByRole('heading', { name: 'Archived chats' })).toBeVisible();
  await expect(chatItems(page)).toHaveCount(1);
  await expect(chatItems(page).first()).toContainText('Scale chat 0299');
  await expect(chatItems(page).first()).toHaveAttribute('aria-setsize', '1');
  await expectNoAxeViolations(page);
});

test('keyboard ↓ from the first to the last of 300 virtual rows: each focused, in view, in its place; focus never on the page', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const user = await signUp(page, await features(request), 'scale-keys');
  await importChats(request, user, 300);
  await page.reload();
  const nav = chatList(page);
  await expect(nav.getByText('Scale chat 0000')).toBeVisible();
  // Newest first: the chat made at sign-up (open), then the imported ones.
  const expected = ['New chat', ...Array.from({ length: 300 }, (_, n) => `Scale chat ${label(n)}`)];

  const search = nav.getByRole('searchbox', { name: 'Search chats' });
  await search.focus();
  let place = { heading: '', posinset: 0, nextShown: true };
  for (let i = 0; i < expected.length; i += 1) {
    if (!place.nextShown) {
      // The next row is loaded (a page at a time, as the list scrolls) and rendered.
      await expect(nav.locator('.session-title', { hasText: new RegExp(`^${expected[i]}$`) })).toHaveCount(1);
    }
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate((nextTitle) => {
      const active = document.activeElement as HTMLElement | null;
      const row = active?.closest('li');
      const panel = document.querySelector('nav .session-scroll')!.getBoundingClientRect();
      const box = active?.getBoundingClientRect();
      return {
        tag: active?.tagName ?? null,
        isRowButton: active?.classList.contains('session-item') ?? false,
        title: active?.querySelector('.session-title')?.textContent ?? null,
        inView: !!box && box.top >= panel.top - 1 && box.bottom <= panel.bottom + 1,
        posinset: Number(row?.getAttribute('aria-posinset')),
        setsize: Number(row?.getAttribute('aria-setsize')),
        heading: row?.closest('section')?.querySelector('h3')?.textContent ?? '',
        nextShown: [...document.querySelectorAll('nav .session-title')].some((title) => title.textContent === nextTitle),
      };
    }, expected[i + 1] ?? '');
    expect(focused.tag, `after ↓ number ${i + 1}`).not.toBe('BODY');
    expect(focused.isRowButton, `after ↓ number ${i + 1}`).toBe(true);
    expect(focused.title).toBe(expected[i]);
    expect(focused.inView, `${expected[i]} is in view`).toBe(true);
    // Its place: the next in its group, or the first of the next group.
    const next = focused.heading === place.heading ? place.posinset + 1 : 1;
    expect({ heading: focused.heading, posinset: focused.posinset }).toEqual({ heading: focused.heading, posinset: next });
    expect(focused.setsize).toBeGreaterThanOrEqual(focused.posinset);
    place = focused;
  }
  // At the end, ↓ keeps the focus on the last row; few rows are in the page.
  await page.keyboard.press('ArrowDown');
  expect(await page.evaluate(() => document.activeElement?.querySelector('.session-title')?.textContent)).toBe(
    'Scale chat 0299',
  );
  expect(await chatItems(page).count()).toBeLessThan(100);
  // And Enter opens it.
  await page.keyboard.press('Enter');
  await expect(conversation(page).getByText('Question 0299 about my claim.')).toBeVisible();
});

test('a tag being typed in a row stays, with its text, while the row is scrolled far out of the page', async ({
  page,
  request,
}) => {
  const user = await signUp(page, await features(request), 'scale-edit');
  await importChats(request, user, 300);
  await page.reload();
  const nav = chatList(page);
  const row = chatItem(page, 'Scale chat 0001');
  await row.getByRole('button', { name: 'More options' }).click();
  await page.getByRole('menuitem', { name: 'Edit tags' }).click();
  await nav.getByRole('textbox', { name: 'Add a tag' }).fill('half-typed');
  // The focus goes elsewhere, then the row is scrolled far away: it leaves the page.
  await composer(page).focus();
  await loadEveryChat(page);
  const scroller = nav.locator('.session-scroll');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(nav.getByText('Scale chat 0299')).toBeVisible();
  await expect(chatItem(page, 'Scale chat 0001')).toHaveCount(0);
  await expect(nav.getByRole('textbox', { name: 'Add a tag' })).toHaveCount(0);

  await scroller.evaluate((el) => el.scrollTo(0, 0));
  await expect(nav.getByRole('group', { name: 'Tags of Scale chat 0001' })).toBeVisible();
  await expect(nav.getByRole('textbox', { name: 'Add a tag' })).toHaveValue('half-typed');
  await expect(composer(page)).toBeFocused();
  await nav.getByRole('textbox', { name: 'Add a tag' }).press('Enter');
  await expect(nav.getByRole('button', { name: 'Remove tag half-typed' })).toBeVisible();
});

test.afterAll(() => {
  if (Object.keys(medians).length > 0) console.log(`scale: medians by chat count ${JSON.stringify(medians)}`);
});
