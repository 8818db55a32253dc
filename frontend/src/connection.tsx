import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { health, onConnectivity } from './api';

interface ConnectionState {
  /** False after a request could not reach the server, until /healthz answers again. */
  reachable: boolean;
  /** Increases each time the server becomes reachable again after an outage. */
  reconnects: number;
  /** Poll /healthz now instead of waiting for the next tick. */
  checkNow: () => void;
}

const ConnectionContext = createContext<ConnectionState>({
  reachable: true,
  reconnects: 0,
  checkNow: () => undefined,
});

export function ConnectionProvider({
  children,
  pollMs = 2000,
  heartbeatMs = 20_000,
}: {
  children: ReactNode;
  /** How often /healthz is asked while the server is unreachable. */
  pollMs?: number;
  /** How often /healthz is asked while all is well, so an idle page notices an outage. */
  heartbeatMs?: number;
}) {
  const [reachable, setReachable] = useState(true);
  const [reconnects, setReconnects] = useState(0);
  const reachableRef = useRef(true);

  useEffect(
    () =>
      onConnectivity((ok) => {
        if (ok === reachableRef.current) return;
        reachableRef.current = ok;
        setReachable(ok);
        if (ok) setReconnects((n) => n + 1);
      }),
    [],
  );

  const checkNow = useCallback(() => {
    // Any answer from /healthz flips the state back through onConnectivity.
    health().catch(() => undefined);
  }, []);

  useEffect(() => {
    const timer = window.setInterval(checkNow, reachable ? heartbeatMs : pollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') checkNow();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', checkNow);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', checkNow);
    };
  }, [reachable, pollMs, heartbeatMs, checkNow]);

  return (
    <ConnectionContext.Provider value={{ reachable, reconnects, checkNow }}>
      {children}
    </ConnectionContext.Provider>
  );
}

export function useConnection(): ConnectionState {
  return useContext(ConnectionContext);
}

/** Runs `effect` each time the server comes back after an outage. */
export function useOnReconnect(effect: () => void): void {
  const { reconnects } = useConnection();
  const effectRef = useRef(effect);
  effectRef.current = effect;
  const seen = useRef(reconnects);
  useEffect(() => {
    if (reconnects !== seen.current) {
      seen.current = reconnects;
      effectRef.current();
    }
  }, [reconnects]);
}

export function ConnectionBanner() {
  const { t } = useTranslation();
  const { reachable, checkNow } = useConnection();
  if (reachable) return null;
  return (
    <div className="banner banner-offline" role="alert">
      <span>
        <strong>{t('misc.offlineTitle')}</strong> {t('misc.offlineText')}
      </span>
      <button type="button" className="button button-small" onClick={checkNow}>
        {t('misc.tryNow')}
      </button>
    </div>
  );
}
