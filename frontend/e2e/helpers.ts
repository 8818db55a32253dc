import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { screenshotDir } from './server';

export interface Features {
  /** The server has accounts (/auth/*); false in auth mode `none` or before auth exists. */
  auth: boolean;
  /** POST /sessions/{user_id}/{session_id}/chat exists. */
  chat: boolean;
}

let cached: Features | null = null;

/** What the running server offers, read from its OpenAPI schema. */
export async function features(request: APIRequestContext): Promise<Features> {
  if (cached) return cached;
  const schema = (await (await request.get('/openapi.json')).json()) as { paths: Record<string, unknown> };
  const paths = Object.keys(schema.paths);
  const me = await request.get('/auth/me');
  cached = {
    auth: paths.includes('/auth/token') && me.status() !== 404,
    chat: paths.some((p) => /^\/sessions\/\{[^}]+\}\/\{[^}]+\}\/chat$/.test(p)),
  };
  return cached;
}

export interface TestUser {
  username: string;
  password: string;
  userId: string;
  token: string | null;
}

let userCounter = 0;
export function uniqueName(prefix = 'e2e'): string {
  userCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${userCounter}`;
}

/** Open the app and become a new user: register (local auth) or type a user id (auth none). */
export async function signUp(
  page: Page,
  feats: Features,
  prefix = 'e2e',
  baseURL?: string,
): Promise<TestUser> {
  const username = uniqueName(prefix);
  const password = `pw-${username}-secret`;
  await page.goto(baseURL ? `${baseURL}/` : '/');
  if (feats.auth) {
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
  } else {
    await page.getByLabel('User id').fill(username);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(conversation(page)).toBeVisible();
  const token = await page.evaluate(() => localStorage.getItem('cora.token'));
  let userId = username;
  if (feats.auth) {
    const account = await page.evaluate(async (t) => {
      const response = await fetch('/auth/me', { headers: { Authorization: `Bearer ${t}` } });
      return (await response.json()) as { user_id: string };
    }, token);
    userId = account.user_id;
  }
  return { username, password, userId, token };
}

export async function logIn(page: Page, user: TestUser): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(conversation(page)).toBeVisible();
}

export function conversation(page: Page) {
  return page.getByRole('log', { name: 'Conversation with Cora' });
}

/** The sidebar (search, the date-grouped lists of chats, export and import). */
export function chatList(page: Page) {
  return page.getByRole('navigation', { name: 'Chats' });
}

/** One list item per chat, across the date groups (Today, Yesterday, ...). */
export function chatItems(page: Page) {
  return chatList(page).getByRole('listitem');
}

/** The button that opens the chat at `index` in the list (0: the most recent). */
export function chatButton(page: Page, index: number) {
  return chatItems(page).nth(index).getByRole('button').first();
}

/** The list item of the chat whose title (or snippet) matches. */
export function chatItem(page: Page, title: string | RegExp) {
  return chatItems(page).filter({ hasText: title });
}

export function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message Cora' });
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** Wait until Cora's reply has arrived and is stored (the Stop button gives way to Send). */
export async function waitForReply(page: Page): Promise<void> {
  const log = conversation(page);
  await expect(log).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(log.getByRole('article').last()).toHaveAttribute('aria-label', 'Cora says');
  await expect(log.getByText('Sending…')).toHaveCount(0);
  await expect(log.getByRole('alert')).toHaveCount(0);
}

export function authHeaders(user: TestUser): Record<string, string> {
  return user.token ? { Authorization: `Bearer ${user.token}` } : {};
}

/** Store a message through the API (POST .../messages), as another client would. */
export async function addMessageViaApi(
  request: APIRequestContext,
  user: TestUser,
  sessionId: string,
  sender: 'user' | 'assistant',
  text: string,
): Promise<void> {
  const response = await request.post(`/sessions/${user.userId}/${sessionId}/messages`, {
    headers: authHeaders(user),
    data: { sender, text },
  });
  expect(response.status(), await response.text()).toBe(201);
}

export async function createSessionViaApi(
  request: APIRequestContext,
  user: TestUser,
  title?: string,
): Promise<string> {
  const response = await request.post(`/sessions/${user.userId}`, {
    headers: authHeaders(user),
    data: title ? { title } : {},
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { session_id: string }).session_id;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
