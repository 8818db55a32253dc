import { useEffect, useRef, useState } from 'react';
import * as api from '../../api';
import type { TokenResponse } from '../../api';
import { saveDownload } from '../../download';
import { describeError } from '../../errors';
import { CoraBrand } from '../Avatar';
import { ChangePassword, DeleteAccount, LogOutEverywhere } from './AccountSettings';
import { ThemeSetting } from './ThemeSetting';

export interface SettingsPageProps {
  userId: string;
  /** Null in auth mode `none`: no account sections. */
  username: string | null;
  onBack: () => void;
  onLogout: () => void;
  onNewToken: (token: TokenResponse) => void;
  /** The account's tokens no longer work (logged out everywhere, or deleted). */
  onSignedOut: (notice: string) => void;
}

function DownloadData({ userId }: { userId: string }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  async function download() {
    setBusy(true);
    setStatus('');
    try {
      saveDownload(await api.exportAllSessions(userId));
      setStatus('Your download has started.');
    } catch (err) {
      setStatus(`Couldn’t download your data: ${describeError(err)}.`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="settings-section" aria-labelledby="settings-data">
      <h2 id="settings-data">Download all my data</h2>
      <p>One JSON file with every chat and its messages, which Cora can import again.</p>
      <button type="button" className="button" disabled={busy} onClick={() => void download()}>
        {busy ? 'Preparing…' : 'Download my data'}
      </button>
      <p role="status">{status}</p>
    </section>
  );
}

export function SettingsPage({ userId, username, onBack, onLogout, onNewToken, onSignedOut }: SettingsPageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Settings · Cora';
    headingRef.current?.focus();
    return () => {
      document.title = 'Cora';
    };
  }, []);

  return (
    <div className="settings-page">
      <header className="topbar">
        <CoraBrand />
        <div className="topbar-actions">
          <a
            className="button button-quiet"
            href="/"
            onClick={(event) => {
              event.preventDefault();
              onBack();
            }}
          >
            Back to chats
          </a>
          <button type="button" className="button button-quiet" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      <main className="settings-main" aria-labelledby="settings-title">
        <h1 id="settings-title" ref={headingRef} tabIndex={-1}>
          Settings
        </h1>
        {username && <p>Signed in as {username}.</p>}
        <ThemeSetting />
        {username && <ChangePassword username={username} onNewToken={onNewToken} />}
        {username && (
          <LogOutEverywhere onLoggedOut={() => onSignedOut('You logged out on every device.')} />
        )}
        <DownloadData userId={userId} />
        {username && (
          <DeleteAccount onDeleted={() => onSignedOut('Your account and all your chats have been deleted.')} />
        )}
      </main>
    </div>
  );
}
