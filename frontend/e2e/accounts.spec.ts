import { expect, test } from '@playwright/test';
import { DESKTOP, PHONE, conversation, features, logIn, screenshot, signUp } from './helpers';

test.describe('accounts', () => {
  test.beforeEach(async ({ request }) => {
    test.skip(!(await features(request)).auth, 'the server has no accounts (auth mode none, or /auth not there yet)');
  });

  test('register, stay logged in across a reload, log out, log in again', async ({ page, request }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Log in to Cora' })).toBeVisible();
    await screenshot(page, 'login-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'login-phone');
    await page.setViewportSize(DESKTOP);

    const user = await signUp(page, await features(request), 'alice');
    await expect(page.getByText(user.username)).toBeVisible();
    await expect(conversation(page)).toContainText('I’m Cora');

    await page.reload();
    await expect(conversation(page)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Log in to Cora' })).toHaveCount(0);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('heading', { name: 'Log in to Cora' })).toBeVisible();
    expect(await page.evaluate(() => localStorage.getItem('cora.token'))).toBeNull();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Log in to Cora' })).toBeVisible();

    await logIn(page, user);
    await expect(page.getByText(user.username)).toBeVisible();
  });

  test('shows the server’s messages: wrong password, taken name, short password', async ({ page, request }) => {
    const user = await signUp(page, await features(request), 'bob');
    await page.getByRole('button', { name: 'Log out' }).click();

    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page.getByRole('alert')).not.toBeEmpty();

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(user.username.toUpperCase());
    await page.getByLabel('Password').fill('long-enough-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    const taken = await page.getByRole('alert').textContent();

    await page.getByLabel('Username').fill(`${user.username}-new`);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).not.toHaveText(taken ?? '');
    await expect(page.getByRole('alert')).toContainText(/password/i);
    await screenshot(page, 'register-error-desktop');
  });
});
