import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from '../components/Composer';
import { Login } from '../components/Login';
import { SettingsPage } from '../components/settings/SettingsPage';
import { ApiError, ChatError, NetworkError } from '../api';
import { describeError } from '../errors';
import { dateGroup, formatRelative } from '../time';
import { en } from './en';
import { es } from './es';
import { chooseLanguage, currentLanguage, i18n, initialLanguage, LANGUAGE_KEY, languageFromBrowser } from '.';

function keysOf(catalogue: object, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value as object, `${prefix}${key}.`),
  );
}

describe('the language', () => {
  it('is Spanish for any es-* browser language, English for the rest', () => {
    expect(languageFromBrowser(['es-ES', 'en'])).toBe('es');
    expect(languageFromBrowser(['es-419'])).toBe('es');
    expect(languageFromBrowser(['ES'])).toBe('es');
    expect(languageFromBrowser(['en-GB', 'es'])).toBe('en');
    expect(languageFromBrowser(['fr-FR', 'es-MX'])).toBe('es');
    expect(languageFromBrowser(['fr-FR', 'de'])).toBe('en');
    expect(languageFromBrowser([])).toBe('en');
  });

  it('is the one the user chose, kept across a reload, over the browser’s', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['es-ES']);
    expect(initialLanguage()).toBe('es');
    await act(() => chooseLanguage('en'));
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en');
    expect(initialLanguage()).toBe('en');
    localStorage.setItem(LANGUAGE_KEY, 'klingon');
    expect(initialLanguage()).toBe('es');
    vi.restoreAllMocks();
  });

  it('sets <html lang> when it changes', async () => {
    await act(() => chooseLanguage('es'));
    expect(document.documentElement.lang).toBe('es');
    expect(currentLanguage()).toBe('es');
    await act(() => chooseLanguage('en'));
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('the Spanish catalogue', () => {
  it('has every key of the English one, none left empty or in English', () => {
    const english = keysOf(en);
    expect(keysOf(es)).toEqual(english);
    const same = english.filter((key) => i18n.getFixedT('es')(key as never) === i18n.getFixedT('en')(key as never));
    // Names and language names read the same in both.
    expect(same).toEqual([
      'messages.cora',
      'sidebar.nav',
      'keys.ctrl',
      'keys.esc',
      'settings.languageNames.en',
      'settings.languageNames.es',
    ]);
  });
});

describe('in Spanish', () => {
  it('the log-in page and the composer speak Spanish', async () => {
    await act(() => chooseLanguage('es'));
    render(<Login onLoggedIn={() => {}} />);
    expect(screen.getByRole('heading', { name: 'Inicie sesión en Cora' })).toBeInTheDocument();
    expect(screen.getByLabelText('Nombre de usuario')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Iniciar sesión' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Crear una cuenta' }));
    expect(screen.getByRole('heading', { name: 'Cree su cuenta de Cora' })).toBeInTheDocument();
    expect(screen.getByText('Al menos 8 caracteres.')).toBeInTheDocument();

    render(<Composer onSend={() => {}} onStop={() => {}} streaming={false} disabled={false} />);
    expect(screen.getByLabelText('Mensaje para Cora')).toHaveAttribute('placeholder', 'Escriba a Cora…');
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeDisabled();
  });

  it('errors, dates and numbers follow the language', async () => {
    await act(() => chooseLanguage('es'));
    const now = new Date(2026, 9, 20, 12, 0);
    expect(formatRelative(new Date(2026, 9, 20, 11, 55).toISOString(), now)).toBe('hace 5 minutos');
    expect(formatRelative(new Date(2026, 9, 20, 11, 59, 50).toISOString(), now)).toBe('ahora mismo');
    expect(dateGroup(new Date(2026, 9, 19, 9).toISOString(), now)).toBe('Ayer');
    expect(dateGroup(new Date(2026, 7, 3).toISOString(), now)).toBe('Agosto de 2026');
    const tooLong = new ApiError(413, 'The message is too long: the limit is 100000 characters');
    expect(describeError(tooLong, { context: 'message' })).toMatch(/^Este mensaje es demasiado largo \(como máximo 100\.000 caracteres\)/);
    expect(describeError(new ApiError(429, 'Too many attempts', 30), { context: 'login' })).toBe(
      'Demasiados intentos. Vuelva a intentarlo dentro de 30 segundos.',
    );

    await act(() => chooseLanguage('en'));
    expect(formatRelative(new Date(2026, 9, 20, 11, 55).toISOString(), now)).toBe('5 minutes ago');
    expect(dateGroup(new Date(2026, 7, 3).toISOString(), now)).toBe('August 2026');
    expect(describeError(tooLong, { context: 'message' })).toMatch(/\(at most 100,000 characters\)/);
  });

  it('errors of every known status and every network failure are the catalogue’s, not the server’s English', async () => {
    await act(() => chooseLanguage('es'));
    const english = /[A-Za-z]+ (the|is|was|not|failed|found|request)\b|Request failed|Cannot reach|connection broke|stream ended/i;
    const said = (err: unknown, context?: 'message' | 'login') => {
      const text = describeError(err, { context });
      expect(text, `${String(err)} read “${text}”`).not.toMatch(english);
      return text;
    };
    expect(said(new ApiError(401, 'Not authenticated'))).toBe('su sesión ha caducado; vuelva a iniciar sesión');
    expect(said(new ApiError(403, 'Not your session'))).toBe('esto pertenece a otra cuenta');
    expect(said(new ApiError(404, 'Session not found'))).toBe('ya no existe (puede que se haya eliminado)');
    expect(said(new ApiError(409, 'Message id conflict'))).toBe('se modificó en otro lugar al mismo tiempo; vuelva a intentarlo');
    expect(said(new ApiError(409, 'A reply is being written in this session'), 'message')).toBe(
      'Cora todavía está escribiendo una respuesta en este chat',
    );
    expect(said(new ApiError(412, 'The session changed'))).toBe('se modificó en otro lugar al mismo tiempo; vuelva a intentarlo');
    expect(said(new ApiError(413, 'Body too large'))).toBe('es demasiado grande para el servidor');
    expect(said(new ApiError(422, [{ loc: ['body', 'title'], msg: 'String should have at most 200 characters' }]))).toBe(
      'el servidor no lo aceptó tal como está',
    );
    expect(said(new ApiError(429, 'Too many searches'))).toMatch(/^demasiadas solicitudes/);
    expect(said(new ApiError(429, 'Too many searches', 120))).toBe('demasiados intentos; vuelva a intentarlo dentro de 2 minutos');
    expect(said(new ApiError(500, 'Session 123 cannot be read'))).toBe('algo ha fallado en el servidor de Cora');
    expect(said(new ChatError(502, 'The model server returned 500', null), 'message')).toBe(
      'el asistente no está disponible en este momento',
    );
    expect(said(new ApiError(503, 'Storage unavailable', 5))).toMatch(/^el almacenamiento de Cora no está disponible/);
    expect(said(new ApiError(507, 'Storage full'))).toBe('el almacenamiento de Cora está lleno, así que no se ha guardado nada');
    expect(said(new ApiError(418, null))).toBe('la solicitud ha fallado (HTTP 418)');
    expect(said(new ApiError(503, 'Storage unavailable'), 'login')).toMatch(/^El almacenamiento de Cora .*\.$/);
    expect(said(new NetworkError())).toBe('no se puede contactar con el servidor');
    expect(said(new NetworkError('answerBroke'))).toBe('la conexión se cortó mientras llegaba la respuesta');
    expect(said(new NetworkError('replyBroke'))).toBe('la conexión se cortó mientras Cora respondía');
    expect(said(new NetworkError('replyEndedEarly'))).toBe('la respuesta se cortó antes de terminar');
    // A status the contract does not name keeps the server's own words.
    expect(describeError(new ApiError(400, 'There was an error parsing the body'))).toBe('There was an error parsing the body');

    await act(() => chooseLanguage('en'));
    expect(describeError(new ApiError(418, null))).toBe('the request failed (HTTP 418)');
    expect(describeError(new NetworkError('replyBroke'))).toBe('the connection broke while Cora was replying');
  });

  it('the settings page switches to English with its Language select, and remembers it', async () => {
    await act(() => chooseLanguage('es'));
    render(
      <SettingsPage
        userId="u1"
        username="alice"
        onBack={vi.fn()}
        onLogout={vi.fn()}
        onNewToken={vi.fn()}
        onSignedOut={vi.fn()}
      />,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Ajustes' })).toBeInTheDocument();
    expect(document.title).toBe('Ajustes · Cora');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Idioma' }), 'en');
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Language' })).toHaveValue('en');
    expect(document.title).toBe('Settings · Cora');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en');
  });
});
