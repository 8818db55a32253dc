import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { describeError } from './errors';
import { i18n } from './i18n';
import * as api from './api';
import { ApiError, NetworkError, type TokenResponse } from './api';
import { CoraAvatar } from './components/Avatar';
import { Login, PickUser } from './components/Login';
import { ConnectionBanner, useOnReconnect } from './connection';
import { announceLogout, onLogoutElsewhere } from './authChannel';
import { clearDrafts } from './drafts';
import { TOKEN_KEY, USER_KEY, store } from './storage';
import { useSettingsRoute } from './settingsRoute';

// The signed-in screens are chunks of their own: the log-in page's script stays small.
const Dashboard = lazy(() =>
  import('./components/Dashboard').then((module) => ({ default: module.Dashboard })),
);
const SettingsPage = lazy(() =>
  import('./components/settings/SettingsPage').then((module) => ({ default: module.SettingsPage })),
);

/** Cora's mark and one line: while the app starts, or why it could not. */
function Splash({ failure, onRetry }: { failure?: string; onRetry?: () => void }) {
  return (
    <div className="auth-page">
      <ConnectionBanner />
      <div className="splash" role={failure === undefined ? 'status' : 'alert'}>
        <CoraAvatar size={56} />
        <p>{failure ?? i18n.t('app.starting')}</p>
        {onRetry && (
          <button type="button" className="button button-primary" onClick={onRetry}>
            {i18n.t('common.tryAgain')}
          </button>
        )}
      </div>
    </div>
  );
}

type AuthState =
  | { phase: 'checking' }
  | { phase: 'failed'; message: string }
  | { phase: 'login'; notice: string | null }
  | { phase: 'pick-user' }
  | { phase: 'ready'; userId: string; username: string | null; mode: 'local' | 'none' };

export function App() {
  const [auth, setAuth] = useState<AuthState>({ phase: 'checking' });
  const settings = useSettingsRoute();

  const check = useCallback(async () => {
    setAuth({ phase: 'checking' });
    const token = store.get(TOKEN_KEY);
    api.setToken(token);
    try {
      const account = await api.me();
      setAuth({ phase: 'ready', userId: account.user_id, username: account.username, mode: 'local' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        store.remove(TOKEN_KEY);
        api.setToken(null);
        setAuth({
          phase: 'login',
          notice: token ? i18n.t('app.expired') : null,
        });
      } else if (err instanceof ApiError && err.status === 404) {
        // Auth mode `none`: the server has no accounts.
        api.setToken(null);
        const userId = store.get(USER_KEY);
        setAuth(userId ? { phase: 'ready', userId, username: null, mode: 'none' } : { phase: 'pick-user' });
      } else if (err instanceof NetworkError) {
        setAuth({ phase: 'failed', message: i18n.t('app.connecting') });
      } else {
        setAuth({ phase: 'failed', message: i18n.t('app.checkFailed', { reason: describeError(err) }) });
      }
    }
  }, []);

  useEffect(() => {
    void check();
  }, [check]);

  useOnReconnect(() => {
    if (auth.phase === 'failed') void check();
  });

  // A token that expires while the app is open sends the user back to log in.
  useEffect(
    () =>
      api.onUnauthorized(() => {
        store.remove(TOKEN_KEY);
        api.setToken(null);
        setAuth({ phase: 'login', notice: i18n.t('app.expired') });
      }),
    [],
  );

  // Logged out in another tab of this browser: this one too.
  useEffect(
    () =>
      onLogoutElsewhere(() => {
        api.setToken(null);
        setAuth((current) =>
          current.phase === 'login' ? current : { phase: 'login', notice: i18n.t('app.otherTab') },
        );
      }),
    [],
  );

  const onLoggedIn = useCallback((token: TokenResponse, username: string) => {
    store.set(TOKEN_KEY, token.access_token);
    api.setToken(token.access_token);
    setAuth({ phase: 'ready', userId: token.user_id, username, mode: 'local' });
    // The username as stored (case may differ from what was typed).
    api
      .me()
      .then((account) =>
        setAuth((current) =>
          current.phase === 'ready' && current.userId === account.user_id
            ? { ...current, username: account.username }
            : current,
        ),
      )
      .catch(() => undefined);
  }, []);

  const onLogout = useCallback(() => {
    if (auth.phase === 'ready' && auth.mode === 'none') {
      store.remove(USER_KEY);
      setAuth({ phase: 'pick-user' });
      return;
    }
    // The token stops working on the server too (4); then every tab is told.
    void api.logout().catch(() => undefined);
    store.remove(TOKEN_KEY);
    api.setToken(null);
    clearDrafts();
    announceLogout();
    setAuth({ phase: 'login', notice: null });
  }, [auth]);

  // The account's tokens were all ended (logged out everywhere, or the account deleted).
  const onSignedOut = useCallback(
    (notice: string) => {
      store.remove(TOKEN_KEY);
      api.setToken(null);
      clearDrafts();
      announceLogout();
      settings.closeSettings();
      setAuth({ phase: 'login', notice });
    },
    [settings],
  );

  switch (auth.phase) {
    case 'checking':
      return <Splash />;
    case 'failed':
      return <Splash failure={auth.message} onRetry={() => void check()} />;
    case 'login':
      return (
        <>
          <ConnectionBanner />
          <Login onLoggedIn={onLoggedIn} notice={auth.notice} />
        </>
      );
    case 'pick-user':
      return (
        <PickUser
          onPicked={(userId) => {
            store.set(USER_KEY, userId);
            setAuth({ phase: 'ready', userId, username: null, mode: 'none' });
          }}
        />
      );
    case 'ready':
      if (settings.open) {
        return (
          <Suspense fallback={<Splash />}>
            <SettingsPage
              userId={auth.userId}
              username={auth.mode === 'local' ? auth.username : null}
              onBack={settings.closeSettings}
              onLogout={onLogout}
              onNewToken={(token) => onLoggedIn(token, auth.username ?? '')}
              onSignedOut={onSignedOut}
            />
          </Suspense>
        );
      }
      return (
        <Suspense fallback={<Splash />}>
          <Dashboard
            key={auth.userId}
            userId={auth.userId}
            username={auth.username}
            onLogout={onLogout}
            onOpenSettings={settings.openSettings}
          />
        </Suspense>
      );
  }
}
