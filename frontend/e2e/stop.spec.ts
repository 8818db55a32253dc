/**
 * Stop a reply on a real `cora serve`. The FAQ assistant answers in a few milliseconds,
 * too fast to stop, so this scenario starts a second server whose assistant is the
 * OpenAI-compatible one (`CORA_ASSISTANT=openai`), talking to a slow stand-in model
 * served here on loopback: one word every 100 ms.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { composer, conversation, features, screenshot, send, signUp, waitForReply } from './helpers';
import { freePort, startServer, stopServer, waitForHealth, type ServerState } from './server';

const WORDS = Array.from({ length: 200 }, (_, i) => `word${i + 1}`);

/** An OpenAI-compatible `/v1/chat/completions` that streams slowly, and stops when the client goes. */
function slowModel(): http.Server {
  return http.createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error": {"message": "not found"}}');
      return;
    }
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-e2e',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'slow',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    let i = 0;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    const timer = setInterval(() => {
      if (i < WORDS.length) {
        res.write(chunk({ content: `${WORDS[i]} ` }, null));
        i += 1;
      } else {
        clearInterval(timer);
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
      }
    }, 100);
    res.on('close', () => clearInterval(timer));
  });
}

let model: http.Server;
let server: ServerState;
let dataDir: string;

test.beforeAll(async () => {
  model = slowModel();
  const modelPort = await freePort();
  await new Promise<void>((resolve) => model.listen(modelPort, '127.0.0.1', resolve));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cora-e2e-stop-'));
  server = startServer(await freePort(), dataDir, {
    record: false,
    env: {
      CORA_ASSISTANT: 'openai',
      CORA_OPENAI_BASE_URL: `http://127.0.0.1:${modelPort}/v1`,
      CORA_OPENAI_MODEL: 'slow',
    },
  });
  await waitForHealth(server.baseURL);
});

test.afterAll(async () => {
  if (server) await stopServer(server.pid);
  await new Promise((resolve) => model?.close(resolve));
  model?.closeAllConnections?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
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
