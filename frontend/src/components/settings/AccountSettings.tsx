import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../api';
import type { TokenResponse } from '../../api';
import { describeError } from '../../errors';
import { PasswordField } from './PasswordField';

/**
 * Change the password (every other device is logged out, 4) and this device logs in again
 * with the new one; or log out everywhere by confirming the password.
 */
export function ChangePassword({
  username,
  onNewToken,
}: {
  username: string;
  onNewToken: (token: TokenResponse) => void;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== repeat) {
      setResult({ ok: false, text: t('account.passwordsDiffer') });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      await api.changePassword(current, next);
      onNewToken(await api.login(username, next));
      setCurrent('');
      setNext('');
      setRepeat('');
      setResult({ ok: true, text: t('account.passwordChanged') });
    } catch (err) {
      setResult({ ok: false, text: t('account.changeFailed', { reason: describeError(err, { context: 'account' }) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-password">
      <h2 id="settings-password">{t('account.changeTitle')}</h2>
      <p>{t('account.changeText')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField label={t('account.currentPassword')} value={current} onChange={setCurrent} autoComplete="current-password" />
        <PasswordField
          label={t('account.newPassword')}
          value={next}
          onChange={setNext}
          autoComplete="new-password"
          hint={t('account.newPasswordHint')}
        />
        <PasswordField label={t('account.newPasswordAgain')} value={repeat} onChange={setRepeat} autoComplete="new-password" />
        <p className={result?.ok ? 'notice' : 'form-error'} role={result?.ok ? 'status' : 'alert'}>
          {result?.text}
        </p>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('account.changing') : t('account.changeTitle')}
        </button>
      </form>
    </section>
  );
}

/** End every token of the account: the password is set again to itself (4: all tokens before stop working). */
export function LogOutEverywhere({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(password, password);
      onLoggedOut();
    } catch (err) {
      setError(t('account.everywhereFailed', { reason: describeError(err, { context: 'account' }) }));
      setBusy(false);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-everywhere">
      <h2 id="settings-everywhere">{t('account.everywhereTitle')}</h2>
      <p>{t('account.everywhereText')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField label={t('account.yourPassword')} value={password} onChange={setPassword} autoComplete="current-password" />
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="submit" className="button" disabled={busy}>
          {t('account.everywhereTitle')}
        </button>
      </form>
    </section>
  );
}

export function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.deleteAccount(password);
      onDeleted();
    } catch (err) {
      setError(t('account.deleteFailed', { reason: describeError(err, { context: 'account' }) }));
      setBusy(false);
    }
  }

  return (
    <section className="settings-section settings-danger" aria-labelledby="settings-delete">
      <h2 id="settings-delete">{t('account.deleteTitle')}</h2>
      <p>{t('account.deleteText')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField
          label={t('account.passwordToConfirm')}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="submit" className="button button-danger" disabled={busy || password === ''}>
          {busy ? t('account.deleting') : t('account.deleteTitle')}
        </button>
      </form>
    </section>
  );
}
