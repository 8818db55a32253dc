import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { i18n } from '../i18n';

// A shared, busy machine: wait for what a test expects a little longer than the default.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  void i18n.changeLanguage('en');
});

// Each test starts at the app's root address (the app writes /c/<id> into the history).
beforeEach(() => {
  window.history.replaceState(null, '', '/');
});
