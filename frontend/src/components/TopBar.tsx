import { CoraBrand } from './Avatar';
import { ThemeToggle } from './ThemeToggle';

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
  return (
    <header className="topbar">
      <button
        type="button"
        className="icon-button menu-button"
        aria-label={navOpen ? 'Close chat list' : 'Open chat list'}
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
        <span className="user-name" title={`Signed in as ${displayName}`}>
          {displayName}
        </span>
        {onOpenSettings && (
          <a
            className="button button-quiet"
            href="/settings"
            onClick={(event) => {
              event.preventDefault();
              onOpenSettings();
            }}
          >
            Settings
          </a>
        )}
        <button type="button" className="button button-quiet" onClick={onLogout}>
          Log out
        </button>
      </div>
    </header>
  );
}
