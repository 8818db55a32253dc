import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../api';
import type { TokenResponse } from '../../api';
import { saveDownload } from '../../download';
import { describeError } from '../../errors';
import { CoraBrand } from '../Avatar';
import { ChangePassword, DeleteAccount, LogOutEverywhere } from './AccountSettings';
import { LanguageSetting } from './LanguageSetting';
import { ThemeSetting } from './ThemeSetting';
import { AppLink } from '../ui/AppLink';

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
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  async function download() {
    setBusy(true);
    setStatus('');
    try {
      saveDownload(await api.exportAllSessions(userId));
      setStatus(t('settings.downloadStarted'));
    } catch (err) {
      setStatus(t('settings.downloadFailed', { reason: describeError(err) }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="settings-section" aria-labelledby="settings-data">
      <h2 id="settings-data">{t('settings.dataTitle')}</h2>
      <p>{t('settings.dataText')}</p>
      <button type="button" className="button" disabled={busy} onClick={() => void download()}>
        {busy ? t('settings.preparing') : t('settings.downloadData')}
      </button>
      <p role="status">{status}</p>
    </section>
  );
}

export function SettingsPage({ userId, username, onBack, onLogout, onNewToken, onSignedOut }: SettingsPageProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  useEffect(() => {
    document.title = t('settings.pageTitle');
    return () => {
      document.title = 'Cora';
    };
  }, [t]);

  return (
    <div className="settings-page">
      <header className="topbar">
        <CoraBrand />
        <div className="topbar-actions">
          <AppLink href="/" onNavigate={onBack}>
            {t('settings.backToChats')}
          </AppLink>
          <button type="button" className="button button-quiet" onClick={onLogout}>
            {t('common.logOut')}
          </button>
        </div>
      </header>
      <main className="settings-main" aria-labelledby="settings-title">
        <h1 id="settings-title" ref={headingRef} tabIndex={-1}>
          {t('common.settings')}
        </h1>
        {username && <p>{t('settings.signedInAs', { name: username })}</p>}
        <LanguageSetting />
        <ThemeSetting />
        {username && <ChangePassword username={username} onNewToken={onNewToken} />}
        {username && (
          <LogOutEverywhere onLoggedOut={() => onSignedOut(t('settings.loggedOutEverywhere'))} />
        )}
        <DownloadData userId={userId} />
        {username && (
          <DeleteAccount onDeleted={() => onSignedOut(t('settings.accountDeleted'))} />
        )}
      </main>
    </div>
  );
}
