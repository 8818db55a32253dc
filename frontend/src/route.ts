/**
 * The app's URLs: `/` and `/c/<session_id>` (each chat has its own). The History API is
 * used directly: a chat opened from the list is pushed, so Back and Forward move between
 * chats; a chat the app opens by itself replaces the entry.
 */
import { useEffect, useState } from 'react';

const CHAT_PATH = /^\/c\/([^/]+)\/?$/;

export function chatPath(sessionId: string): string {
  return `/c/${encodeURIComponent(sessionId)}`;
}

/** The session id in a path, or null (`/`, or any other path). */
export function chatIdFromPath(pathname: string): string | null {
  const match = CHAT_PATH.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]).toLowerCase();
  } catch {
    return match[1];
  }
}

export function currentChatId(): string | null {
  return chatIdFromPath(window.location.pathname);
}

/** Show `sessionId` in the address bar: a new history entry (`push`) or in place. */
export function showChat(sessionId: string, mode: 'push' | 'replace'): void {
  const path = chatPath(sessionId);
  if (window.location.pathname === path) return;
  if (mode === 'push') window.history.pushState(null, '', path);
  else window.history.replaceState(null, '', path);
}

/**
 * The chat id in the address bar after each Back or Forward (a new object each time, so
 * that returning to the id seen before is still a change).
 */
export function useHistoryMoves(): { chatId: string | null } {
  const [move, setMove] = useState(() => ({ chatId: currentChatId() }));
  useEffect(() => {
    const onPop = () => setMove({ chatId: currentChatId() });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return move;
}
