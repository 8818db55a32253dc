import { expect, test } from '@playwright/test';
import { conversation, features, signUp } from './helpers';

// The server is to send a strict Content-Security-Policy; this pins the app to work
// under one even before it does: no inline scripts, styles only from files or the CSSOM.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

test('the app runs under a strict Content-Security-Policy without violations', async ({ page, request }) => {
  await page.route(
    (url) => !url.pathname.startsWith('/sessions') && !url.pathname.startsWith('/auth') && !url.pathname.startsWith('/assets'),
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
    },
  );
  await page.addInitScript(() => {
    (window as unknown as { __cspViolations: string[] }).__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __cspViolations: string[] }).__cspViolations.push(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });

  await signUp(page, await features(request));
  await expect(conversation(page)).toContainText('I’m Cora');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  // The policy is in force: an inline script is refused...
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    script.remove();
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(inlineRan).toBe(false);
  // ...and the app broke none of it (the refused probe above is the only report).
  // The report arrives as an event after the refusal: wait for it rather than read at once.
  const violations = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  await expect.poll(violations).toEqual(['script-src-elem inline']);
  await expect.poll(() => errors.length).toBe(1);
});
