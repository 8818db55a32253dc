/**
 * What the user was typing, per chat, in localStorage: it survives a reload, switching
 * chats and an expired token (log in again and it is there). A log-out clears them.
 */
import { store } from './storage';

const PREFIX = 'cora.draft.';

function key(userId: string, sessionId: string): string {
  return `${PREFIX}${userId}.${sessionId}`;
}

export function loadDraft(userId: string, sessionId: string): string {
  return store.get(key(userId, sessionId)) ?? '';
}

export function saveDraft(userId: string, sessionId: string, text: string): void {
  if (text) store.set(key(userId, sessionId), text);
  else store.remove(key(userId, sessionId));
}

/** Forget every draft (on log-out). */
export function clearDrafts(): void {
  try {
    for (const name of Object.keys(localStorage)) if (name.startsWith(PREFIX)) localStorage.removeItem(name);
  } catch {
    // Storage unavailable: nothing was saved either.
  }
}
