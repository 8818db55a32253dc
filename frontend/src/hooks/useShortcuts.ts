import { useEffect, useRef, type RefObject } from 'react';

export interface ShortcutHandlers {
  /** Ctrl/Cmd+Shift+O. */
  onNewChat: () => void;
  /** The search box (Ctrl/Cmd+K focuses it). */
  searchRef: RefObject<HTMLInputElement | null>;
  /** The chat list is open as a drawer (a phone): Escape closes it. */
  navOpen: boolean;
  setNavOpen: (open: boolean) => void;
}

/** The app's keyboard shortcuts, anywhere in the page. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const { onNewChat, searchRef, navOpen, setNavOpen } = handlersRef.current;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && event.shiftKey && !event.altKey && key === 'o') {
        event.preventDefault();
        onNewChat();
      } else if (mod && !event.shiftKey && !event.altKey && key === 'k') {
        event.preventDefault();
        // On a phone the list is a drawer: open it first, and focus once it is shown.
        const focusSearch = () => {
          searchRef.current?.focus();
          searchRef.current?.select();
        };
        if ((searchRef.current?.getClientRects().length ?? 0) === 0) {
          setNavOpen(true);
          window.requestAnimationFrame(focusSearch);
        } else {
          focusSearch();
        }
      } else if (event.key === 'Escape' && navOpen && !event.defaultPrevented) {
        setNavOpen(false);
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
