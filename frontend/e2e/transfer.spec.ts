import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  addMessageViaApi,
  authHeaders,
  chatItem,
  chatItems,
  chatList,
  conversation,
  createSessionViaApi,
  features,
  screenshot,
  signUp,
} from './helpers';

async function hasTransferRoutes(page: Page): Promise<boolean> {
  const schema = (await (await page.request.get('/openapi.json')).json()) as { paths: Record<string, unknown> };
  return Object.keys(schema.paths).some((p) => /^\/sessions\/\{[^}]+\}\/import$/.test(p));
}

async function downloadFrom(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

async function importFile(page: Page, name: string, content: string) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    chatList(page).getByRole('button', { name: 'Import chats…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

/** A ChatGPT data export's conversations.json with one conversation (system message, two turns). */
function chatGptExport(): string {
  const node = (id: string, parent: string | null, children: string[], role: string | null, text?: string) => ({
    id,
    parent,
    children,
    message: role
      ? {
          id,
          author: { role },
          create_time: 1_763_000_000 + children.length,
          content: { content_type: 'text', parts: [text ?? ''] },
          metadata: {},
        }
      : null,
  });
  return JSON.stringify([
    {
      id: 'e2e-chatgpt-conversation-1',
      title: 'Imported from ChatGPT',
      create_time: 1_763_000_000,
      update_time: 1_763_000_100,
      current_node: 'n3',
      mapping: {
        root: node('root', null, ['n1'], null),
        n1: node('n1', 'root', ['n2'], 'system', 'You are a helpful assistant.'),
        n2: node('n2', 'n1', ['n3'], 'user', 'Does my home policy cover hail?'),
        n3: node('n3', 'n2', [], 'assistant', 'Hail damage to the roof is usually covered.'),
      },
    },
  ]);
}

test('export one chat (JSON, Markdown) and all chats, then import them; ChatGPT import; a bad file shows why', async ({
  page,
  request,
}) => {
  const user = await signUp(page, await features(request));
  test.skip(!(await hasTransferRoutes(page)), 'the server has no export/import routes yet');
  const roof = await createSessionViaApi(request, user, 'Roof damage');
  await addMessageViaApi(request, user, roof, 'user', 'A storm damaged my roof');
  await addMessageViaApi(request, user, roof, 'assistant', 'I am sorry to hear that. Here is how to file a claim.');
  await page.reload();
  await expect(chatItems(page)).toHaveCount(2);

  // One chat, as JSON and as Markdown.
  const options = chatItem(page, 'Roof damage').getByRole('button', { name: 'More options' });
  const json = await downloadFrom(page, async () => {
    await options.click();
    await page.getByRole('menuitem', { name: 'Export as JSON' }).click();
  });
  expect(json.name).toMatch(/\.json$/);
  const one = JSON.parse(json.text) as { title: string; messages: { text: string }[] };
  expect(one.title).toBe('Roof damage');
  expect(one.messages.map((m) => m.text)).toEqual([
    'A storm damaged my roof',
    'I am sorry to hear that. Here is how to file a claim.',
  ]);
  const markdown = await downloadFrom(page, async () => {
    await options.click();
    await page.getByRole('menuitem', { name: 'Export as Markdown' }).click();
  });
  expect(markdown.name).toMatch(/\.md$/);
  expect(markdown.text).toContain('Roof damage');
  expect(markdown.text).toContain('A storm damaged my roof');

  // All chats.
  const all = await downloadFrom(page, () => chatList(page).getByRole('button', { name: 'Export all chats' }).click());
  const document = JSON.parse(all.text) as { format: string; version: number; sessions: unknown[] };
  expect(document.format).toBe('cora-sessions');
  expect(document.version).toBe(1);
  expect(document.sessions).toHaveLength(2);

  // Importing it into the same account duplicates nothing; after a chat is deleted, the
  // export brings it back.
  const importStatus = chatList(page).getByRole('status').filter({ hasText: /^Imported/ });
  await importFile(page, all.name, all.text);
  await expect(importStatus).toHaveText('Imported 0 chats. Skipped 2 chats already in your list.');
  await expect(chatItems(page)).toHaveCount(2);
  await chatItem(page, 'Roof damage').getByRole('button', { name: 'More options' }).click();
  // Deleted on the server once the Undo time has passed: the toast goes when the delete is
  // sent, and the delete is stored when its answer comes.
  const deleted = page.waitForResponse((response) => response.request().method() === 'DELETE', {
    timeout: 20_000,
  });
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(chatItems(page)).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0, { timeout: 15_000 });
  expect((await deleted).status()).toBe(204);
  await importFile(page, all.name, all.text);
  await expect(importStatus).toHaveText('Imported 1 chat. Skipped 1 chat already in your list.');
  await expect(chatItems(page)).toHaveCount(2);
  await chatList(page).getByRole('button', { name: /Roof damage/ }).click();
  await expect(conversation(page).getByText('A storm damaged my roof')).toBeVisible();

  // A ChatGPT conversations.json: the visible turns of the current branch.
  await importFile(page, 'conversations.json', chatGptExport());
  await expect(importStatus).toHaveText('Imported 1 chat.');
  await chatList(page).getByRole('button', { name: /Imported from ChatGPT/ }).click();
  await expect(conversation(page).getByText('Does my home policy cover hail?')).toBeVisible();
  await expect(conversation(page).getByText('Hail damage to the roof is usually covered.')).toBeVisible();
  await expect(conversation(page).getByText('You are a helpful assistant.')).toHaveCount(0);

  // Not an export at all: the server's reason is shown, nothing is imported.
  const bad = '{"hello": "world"}';
  const answer = await request.post(`/sessions/${user.userId}/import`, {
    headers: { ...authHeaders(user), 'Content-Type': 'application/json' },
    data: bad,
  });
  expect(answer.status()).toBe(422);
  await importFile(page, 'bad.json', bad);
  const alert = chatList(page).getByRole('alert');
  await expect(alert).toContainText('Couldn’t import bad.json:');
  // In plain words, not the server's developer wording (issue 14).
  await expect(alert).toContainText('it is not a chat export Cora can read');
  await screenshot(page, 'import-error-desktop');
  await expect(chatItems(page)).toHaveCount(3);
});
