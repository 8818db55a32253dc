import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../api';
import type { TokenResponse } from '../../api';
import { describeError } from '../../errors';
import { PasswordField } from './PasswordField';

/**
 * Change the password (every other device is logged out, 4) and this device logs in again
 * with the new one.
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

/**
 * A section whose form asks for the password and does one thing with it (log out
 * everywhere, delete the account): the heading, what it does, the field, the error, the button.
 */
function PasswordConfirmed({
  id,
  title,
  text,
  label,
  busyLabel,
  danger = false,
  action,
  failed,
  onDone,
}: {
  id: string;
  title: string;
  text: string;
  /** The password field's label. */
  label: string;
  /** The button while the action runs (its title otherwise). */
  busyLabel?: string;
  /** Styled as a danger zone, and the button waits for a password. */
  danger?: boolean;
  action: (password: string) => Promise<void>;
  /** The error said in full, from the reason. */
  failed: (reason: string) => string;
  onDone: () => void;
}) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action(password);
      onDone();
    } catch (err) {
      setError(failed(describeError(err, { context: 'account' })));
      setBusy(false);
    }
  }

  return (
    <section className={`settings-section${danger ? ' settings-danger' : ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p>{text}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField label={label} value={password} onChange={setPassword} autoComplete="current-password" />
        <p className="form-error" role="alert">
          {error}
        </p>
        <button
          type="submit"
          className={`button${danger ? ' button-danger' : ''}`}
          disabled={busy || (danger && password === '')}
        >
          {busy && busyLabel ? busyLabel : title}
        </button>
      </form>
    </section>
  );
}

/**
 * End every token of the account: the password is set again to itself (4: every token
 * issued before a password change stops working; the contract has no other route for it).
 */
export function LogOutEverywhere({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useTranslation();
  return (
    <PasswordConfirmed
      id="settings-everywhere"
      title={t('account.everywhereTitle')}
      text={t('account.everywhereText')}
      label={t('account.yourPassword')}
      action={(password) => api.changePassword(password, password)}
      failed={(reason) => t('account.everywhereFailed', { reason })}
      onDone={onLoggedOut}
    />
  );
}

/** Delete the account, its chats and tokens (4), with the password. */
export function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const { t } = useTranslation();
  return (
    <PasswordConfirmed
      id="settings-delete"
      title={t('account.deleteTitle')}
      text={t('account.deleteText')}
      label={t('account.passwordToConfirm')}
      busyLabel={t('account.deleting')}
      danger
      action={(password) => api.deleteAccount(password)}
      failed={(reason) => t('account.deleteFailed', { reason })}
      onDone={onDeleted}
    />
  );
}
