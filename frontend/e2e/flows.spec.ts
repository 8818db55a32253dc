/**
 * Issue 14: the main flows in both languages, on desktop and phone sizes, in light and dark,
 * with axe clean on every screen: register, send and get a reply, the chat list (switch,
 * search), the archive view, the settings page, log out and log in again. The words come
 * from the app's own catalogues, so a screen left in English fails the Spanish runs.
 * One run per language and size; each screen it reaches is checked (axe) and photographed
 * in light and in dark (the flows do not depend on the scheme; contrast does), into
 * test-output/screenshots/flows-<lang>-<size>-<scheme>-<screen>.png.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { en } from '../src/i18n/en';
import { es } from '../src/i18n/es';
import { DESKTOP, PHONE, addMessageViaApi, createSessionViaApi, features, screenshot, uniqueName } from './helpers';

const LANGUAGES = { en: { words: en, locale: 'en-US' }, es: { words: es, locale: 'es-ES' } } as const;
const SIZES = { desktop: DESKTOP, phone: PHONE } as const;

/** A catalogue text with its {{placeholders}} filled. */
function say(text: string, values: Record<string, string> = {}): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
    `axe on the ${screen} screen`,
  ).toEqual([]);
}

for (const [lang, { words: w, locale }] of Object.entries(LANGUAGES)) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test.describe(`${lang}, ${size}`, () => {
      test.use({ locale, viewport });

      test(`main flows (${lang}, ${size}, light and dark): register, chat, list, search, archive, settings, log in`, async ({
        page,
        request,
      }) => {
        const feats = await features(request);
        test.skip(!feats.auth || !feats.chat, 'needs accounts and the chat route');
        const phone = size === 'phone';
        /** The screen as it is now, in light and in dark: axe clean, and photographed. */
        const check = async (screen: string) => {
          for (const colorScheme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme });
            await expectNoAxeViolations(page, `${screen} (${colorScheme})`);
            await screenshot(page, `flows-${lang}-${size}-${colorScheme}-${screen}`);
          }
        };
        const log = page.getByRole('log', { name: w.messages.log });
        const nav = page.getByRole('navigation', { name: w.sidebar.nav });
        const openList = async () => {
          if (phone) await page.getByRole('button', { name: w.topbar.openList }).click();
          await expect(nav).toBeVisible();
        };
        const row = (title: string) => nav.getByRole('listitem').filter({ hasText: title });

        // Register.
        await page.goto('/');
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.getByRole('heading', { name: w.login.titleLogin })).toBeVisible();
        await check('log-in');
        await page.getByRole('button', { name: w.login.createAnAccount }).click();
        await expect(page.getByRole('heading', { name: w.login.titleRegister })).toBeVisible();
        const username = uniqueName(`flows-${lang}`);
        const password = `pw-${username}-secret`;
        await page.getByLabel(w.login.username).fill(username);
        await page.getByLabel(w.login.password, { exact: true }).fill(password);
        await page.getByRole('button', { name: w.login.createAccount }).click();
        await expect(log).toBeVisible();

        // Send, and Cora replies.
        const box = page.getByRole('textbox', { name: w.composer.label });
        await box.fill('What is my deductible?');
        await box.press('Enter');
        await expect(log.getByRole('article', { name: say(w.messages.says, { who: w.messages.you }) })).toContainText(
          'What is my deductible?',
        );
        await expect(log).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
        await expect(page.getByRole('button', { name: w.composer.send })).toBeVisible();
        const reply = log.getByRole('article', { name: say(w.messages.says, { who: w.messages.cora }) }).last();
        await expect(reply.locator('.bubble')).not.toBeEmpty();
        await expect(reply.getByRole('button', { name: w.misc.goodReply })).toBeVisible();
        await check('chat');
        if (lang === 'es' && !phone) {
          // The shortcut sheet names the keys as Spanish keyboards do.
          await log.click();
          await page.keyboard.press('?');
          const sheet = page.getByRole('dialog', { name: w.misc.shortcutsTitle });
          await expect(sheet).toContainText(`${w.keys.shift} ${w.keys.enter}`);
          await expect(sheet).toContainText(w.keys.down);
          await expect(sheet).not.toContainText(/Enter|Shift/);
          await check('shortcuts');
          await page.keyboard.press('Escape');
          await expect(sheet).toBeHidden();
        }

        // The list: another chat (made elsewhere), switch to it, search.
        const token = await page.evaluate(() => localStorage.getItem('cora.token'));
        const me = (await (await request.get('/auth/me', { headers: { Authorization: `Bearer ${token}` } })).json()) as {
          user_id: string;
        };
        const user = { username, password, userId: me.user_id, token };
        const hail = await createSessionViaApi(request, user, 'Hail damage to my roof');
        await addMessageViaApi(request, user, hail, 'user', 'Hail broke three roof tiles last night.');
        await page.reload();
        await openList();
        await expect(nav.getByRole('heading', { name: w.sidebar.yourChats })).toBeVisible();
        await expect(nav.getByRole('listitem')).toHaveCount(2);
        await row('Hail damage to my roof').getByRole('button').first().click();
        await expect(log).toContainText('Hail broke three roof tiles last night.');
        if (phone) await expect(nav).toBeHidden();
        await openList();
        const search = nav.getByRole('searchbox', { name: w.tags.search });
        await search.fill('hail');
        await expect(nav.getByRole('heading', { name: w.sidebar.searchResults })).toBeVisible();
        await expect(nav.getByRole('listitem')).toHaveCount(1);
        await expect(nav.locator('mark').first()).toHaveText(/hail/i);
        await check('search');
        await search.fill('');
        await expect(nav.getByRole('heading', { name: w.sidebar.yourChats })).toBeVisible();

        // Archive a chat from its menu; it is in the Archived view, and nowhere else.
        await row('Hail damage to my roof').getByRole('button', { name: w.row.moreOptions }).click();
        await page.getByRole('menuitem', { name: w.row.archive }).click();
        await expect(row('Hail damage to my roof')).toHaveCount(0);
        await nav.getByRole('button', { name: w.sidebar.archived }).click();
        await expect(nav.getByRole('heading', { name: w.sidebar.archivedChats })).toBeVisible();
        await expect(nav.getByRole('listitem')).toHaveCount(1);
        await expect(row('Hail damage to my roof')).toBeVisible();
        await check('archive');
        await nav.getByRole('button', { name: w.sidebar.backToChats }).click();
        await expect(nav.getByRole('heading', { name: w.sidebar.yourChats })).toBeVisible();
        if (phone) await page.getByRole('button', { name: w.topbar.closeList }).click();

        // Settings.
        await page.getByRole('link', { name: w.common.settings }).click();
        await expect(page).toHaveURL(/\/settings$/);
        await expect(page.getByRole('heading', { level: 1, name: w.common.settings })).toBeVisible();
        await expect(page).toHaveTitle(w.settings.pageTitle);
        await expect(page.getByRole('combobox', { name: w.settings.language })).toHaveValue(lang);
        await check('settings');
        await page.getByRole('link', { name: w.settings.backToChats }).click();
        await expect(log).toBeVisible();

        // Log out, and in again.
        await page.getByRole('button', { name: w.common.logOut }).click();
        await expect(page.getByRole('heading', { name: w.login.titleLogin })).toBeVisible();
        await page.getByLabel(w.login.username).fill(username);
        await page.getByLabel(w.login.password, { exact: true }).fill(password);
        await page.getByRole('button', { name: w.login.logIn }).click();
        await expect(log).toBeVisible();
        await expect(log).toContainText('What is my deductible?');
        if (lang === 'es') await expect(page.locator('body')).not.toContainText(/\b(Loading|Log out|Settings|Your chats)\b/);
      });
    });
  }
}
