/**
 * Issue 14: the app in Spanish for a browser that prefers it (locale es-ES), switchable to
 * English in Settings; axe-clean in Spanish.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { chatItem, features, screenshot, uniqueName } from './helpers';

test.use({ locale: 'es-ES' });

function spanishConversation(page: Page) {
  return page.getByRole('log', { name: 'Conversación con Cora' });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

test('a Spanish browser gets Cora in Spanish: sign up, chat, then switch to English in Settings', async ({
  page,
  request,
}) => {
  const feats = await features(request);
  test.skip(!feats.auth || !feats.chat, 'needs accounts and the chat route');
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { name: 'Inicie sesión en Cora' })).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, 'login-es');

  const username = uniqueName('es');
  await page.getByRole('button', { name: 'Crear una cuenta' }).click();
  await expect(page.getByRole('heading', { name: 'Cree su cuenta de Cora' })).toBeVisible();
  await page.getByLabel('Nombre de usuario').fill(username);
  await page.getByLabel('Contraseña').fill(`pw-${username}-secret`);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();

  const log = spanishConversation(page);
  await expect(log).toBeVisible();
  await expect(log).toContainText('soy Cora');
  await expect(page.getByRole('group', { name: 'Preguntas sugeridas' }).getByRole('button')).toHaveText([
    'Dar parte de un siniestro',
    'Entender mi franquicia',
    'Cambiar mi póliza',
  ]);

  const box = page.getByRole('textbox', { name: 'Mensaje para Cora' });
  await expect(box).toHaveAttribute('placeholder', 'Escriba a Cora…');
  await box.fill('¿Cuál es mi franquicia?');
  await box.press('Enter');
  await expect(log.getByRole('article', { name: 'Usted dice' })).toContainText('¿Cuál es mi franquicia?');
  await expect(log).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Enviar' })).toBeVisible();
  const reply = log.getByRole('article', { name: 'Cora dice' }).last();
  // Cora answers in English only, and says so in Spanish with how to reach a Spanish speaker.
  await expect(reply.locator('.bubble')).toContainText('Por ahora solo puedo responder en inglés');
  await expect(reply.getByRole('button', { name: 'Copiar', exact: true })).toBeVisible();
  await expect(chatItem(page, /franquicia/)).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Chat nuevo' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sus chats' })).toBeVisible();
  await expect(reply.getByRole('button', { name: 'Buena respuesta' })).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, 'chat-es');

  await page.getByRole('link', { name: 'Ajustes' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Ajustes' })).toBeVisible();
  await expect(page).toHaveTitle('Ajustes · Cora');
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('link', { name: 'Back to chats' })).toBeVisible();

  // The choice outlives a reload, over the browser's Spanish.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Language' })).toHaveValue('en');
  await page.getByRole('link', { name: 'Back to chats' }).click();
  await expect(page.getByRole('log', { name: 'Conversation with Cora' })).toContainText('¿Cuál es mi franquicia?');
  await expect(page.getByRole('textbox', { name: 'Message Cora' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
});
