/** The settings page's URL (`/settings`), next to the chats' (`/` and `/c/<id>`, route.ts). */
import { useCallback, useEffect, useState } from 'react';

export const SETTINGS_PATH = '/settings';

export function isSettingsPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === SETTINGS_PATH;
}

/** Whether the address bar shows the settings page, and moves to and from it. */
export function useSettingsRoute(): { open: boolean; openSettings: () => void; closeSettings: () => void } {
  const [open, setOpen] = useState(() => isSettingsPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setOpen(isSettingsPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const openSettings = useCallback(() => {
    if (!isSettingsPath(window.location.pathname)) window.history.pushState(null, '', SETTINGS_PATH);
    setOpen(true);
  }, []);
  const closeSettings = useCallback(() => {
    if (isSettingsPath(window.location.pathname)) window.history.pushState(null, '', '/');
    setOpen(false);
  }, []);
  return { open, openSettings, closeSettings };
}
