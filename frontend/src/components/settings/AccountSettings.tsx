import { useState, type FormEvent } from 'react';
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
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== repeat) {
      setResult({ ok: false, text: 'The two new passwords are not the same.' });
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
      setResult({ ok: true, text: 'Your password is changed. Every other device has been logged out.' });
    } catch (err) {
      setResult({ ok: false, text: `Couldn’t change your password: ${describeError(err, { context: 'account' })}.` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-password">
      <h2 id="settings-password">Change password</h2>
      <p>Changing your password logs you out on every other device.</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField label="Current password" value={current} onChange={setCurrent} autoComplete="current-password" />
        <PasswordField
          label="New password"
          value={next}
          onChange={setNext}
          autoComplete="new-password"
          hint="At least 8 characters."
        />
        <PasswordField label="New password again" value={repeat} onChange={setRepeat} autoComplete="new-password" />
        <p className={result?.ok ? 'notice' : 'form-error'} role={result?.ok ? 'status' : 'alert'}>
          {result?.text}
        </p>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}

/** End every token of the account: the password is set again to itself (4: all tokens before stop working). */
export function LogOutEverywhere({ onLoggedOut }: { onLoggedOut: () => void }) {
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
      setError(`Couldn’t log out everywhere: ${describeError(err, { context: 'account' })}.`);
      setBusy(false);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-everywhere">
      <h2 id="settings-everywhere">Log out everywhere</h2>
      <p>Ends your sign-in on every device and browser, this one included. Your password stays the same.</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField label="Your password" value={password} onChange={setPassword} autoComplete="current-password" />
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="submit" className="button" disabled={busy}>
          Log out everywhere
        </button>
      </form>
    </section>
  );
}

export function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
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
      setError(`Couldn’t delete your account: ${describeError(err, { context: 'account' })}.`);
      setBusy(false);
    }
  }

  return (
    <section className="settings-section settings-danger" aria-labelledby="settings-delete">
      <h2 id="settings-delete">Delete my account</h2>
      <p>
        This deletes your account, every one of your chats with all their messages, tags and
        feedback, and logs you out on every device. It cannot be undone. Download your data
        first if you want to keep a copy. Your username can then be registered again by anyone.
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <PasswordField
          label="Password to confirm"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="submit" className="button button-danger" disabled={busy || password === ''}>
          {busy ? 'Deleting…' : 'Delete my account'}
        </button>
      </form>
    </section>
  );
}
