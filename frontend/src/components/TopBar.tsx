import { CoraBrand } from './Avatar';
import { useTranslation } from 'react-i18next';
import { ThemeToggle } from './ThemeToggle';
import { AppLink } from './ui/AppLink';

export interface TopBarProps {
  displayName: string;
  /** The chat list is open as a drawer (a phone). */
  navOpen: boolean;
  onToggleNav: () => void;
  /** Show the settings page (its own URL, /settings). */
  onOpenSettings?: () => void;
  onLogout: () => void;
}

/** The header: the chat list's button (phones), Cora's name, theme, the user, settings, log-out. */
export function TopBar({ displayName, navOpen, onToggleNav, onOpenSettings, onLogout }: TopBarProps) {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <button
        type="button"
        className="icon-button menu-button"
        aria-label={navOpen ? t('topbar.closeList') : t('topbar.openList')}
        aria-expanded={navOpen}
        aria-controls="chat-nav"
        onClick={onToggleNav}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </button>
      <CoraBrand />
      <div className="topbar-actions">
        <ThemeToggle />
        <span className="user-name" title={t('topbar.signedInAs', { name: displayName })}>
          {displayName}
        </span>
        {onOpenSettings && (
          <AppLink href="/settings" onNavigate={onOpenSettings}>
            {t('common.settings')}
          </AppLink>
        )}
        <button type="button" className="button button-quiet" onClick={onLogout}>
          {t('common.logOut')}
        </button>
      </div>
    </header>
  );
}
