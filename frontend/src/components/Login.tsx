import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, login, register, type TokenResponse } from '../api';
import { describeError } from '../errors';
import { usePreloadedMarkdown } from '../hooks/usePreloadedMarkdown';
import { CoraBrand } from './Avatar';
import { ThemeToggle } from './ThemeToggle';

type Mode = 'login' | 'register';

export interface LoginProps {
  onLoggedIn: (token: TokenResponse, username: string) => void;
  notice?: string | null;
}


/** The fields a validation error names (422), or both for a wrong log-in or a taken name. */
function invalidFields(err: unknown): ReadonlySet<string> {
  if (!(err instanceof ApiError)) return new Set();
  if (Array.isArray(err.detail)) {
    return new Set(err.detail.map((issue) => String(issue.loc?.[issue.loc.length - 1] ?? '')));
  }
  if (err.status === 409) return new Set(['username']);
  if (err.status === 401) return new Set(['username', 'password']);
  return new Set();
}


export function Login({ onLoggedIn, notice }: LoginProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const ids = useId();
  const errorId = `${ids}-error`;
  const usernameRef = useRef<HTMLInputElement>(null);

  usePreloadedMarkdown();

  // The form is what this page is for: start in it.
  useEffect(() => {
    usernameRef.current?.focus();
  }, [mode]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setInvalid(new Set());
    try {
      if (mode === 'register') await register(username, password);
      const token = await login(username, password);
      onLoggedIn(token, username);
    } catch (err) {
      setError(describeError(err, { context: mode }));
      setInvalid(invalidFields(err));
      setBusy(false);
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    setError(null);
    setInvalid(new Set());
  }

  const title = mode === 'login' ? t('login.titleLogin') : t('login.titleRegister');

  return (
    <div className="auth-page">
      <div className="auth-theme">
        <ThemeToggle />
      </div>
      <main className="auth-card" aria-labelledby={`${ids}-title`}>
        <CoraBrand className="auth-brand" size={56} />
        <h1 id={`${ids}-title`}>{title}</h1>
        {notice && mode === 'login' && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <form onSubmit={submit} noValidate aria-describedby={error ? errorId : undefined}>
          <div className="field">
            <label htmlFor={`${ids}-username`}>{t('login.username')}</label>
            <input
              id={`${ids}-username`}
              ref={usernameRef}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-describedby={mode === 'register' ? `${ids}-username-hint` : undefined}
              aria-invalid={invalid.has('username') ? true : undefined}
            />
            {mode === 'register' && (
              <p className="hint" id={`${ids}-username-hint`}>
                {t('login.usernameHint')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-password`}>{t('login.password')}</label>
            <input
              id={`${ids}-password`}
              name="password"
              type="password"
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={mode === 'register' ? `${ids}-password-hint` : undefined}
              aria-invalid={invalid.has('password') ? true : undefined}
            />
            {mode === 'register' && (
              <p className="hint" id={`${ids}-password-hint`}>
                {t('login.passwordHint')}
              </p>
            )}
          </div>
          {error && (
            <p className="form-error" role="alert" id={errorId}>
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy
              ? mode === 'login'
                ? t('login.loggingIn')
                : t('login.creating')
              : mode === 'login'
                ? t('login.logIn')
                : t('login.createAccount')}
          </button>
        </form>
        <p className="auth-switch">
          {mode === 'login' ? (
            <>
              {t('login.newToCora')}{' '}
              <button type="button" className="link-button" onClick={() => switchMode('register')}>
                {t('login.createAnAccount')}
              </button>
            </>
          ) : (
            <>
              {t('login.haveAccount')}{' '}
              <button type="button" className="link-button" onClick={() => switchMode('login')}>
                {t('login.logInInstead')}
              </button>
            </>
          )}
        </p>
      </main>
    </div>
  );
}

/** Auth mode `none`: the server has no accounts, so the user says who they are. */
export function PickUser({ onPicked }: { onPicked: (userId: string) => void }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = userId.trim();
    if (!/^[A-Za-z0-9-]{1,64}$/.test(value)) {
      setError(t('pickUser.invalid'));
      return;
    }
    onPicked(value);
  }

  return (
    <div className="auth-page">
      <main className="auth-card" aria-labelledby={`${ids}-title`}>
        <CoraBrand className="auth-brand" size={56} />
        <h1 id={`${ids}-title`}>{t('pickUser.title')}</h1>
        <p className="hint">{t('pickUser.hint')}</p>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-user`}>{t('pickUser.userId')}</label>
            <input
              id={`${ids}-user`}
              value={userId}
              onChange={(e) => setUserId(e.target.value)}
              autoCapitalize="none"
              spellCheck={false}
            />
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-block">
            {t('common.continue')}
          </button>
        </form>
      </main>
    </div>
  );
}
