/**
 * Log-out in one tab logs out every tab of the browser: a BroadcastChannel message, and the
 * `storage` event of the token's removal for browsers without BroadcastChannel.
 */
import { TOKEN_KEY } from './storage';

const CHANNEL = 'cora.auth';

export function announceLogout(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ type: 'logout' });
  channel.close();
}

/** Calls `onLogout` when another tab logs out. Returns the unsubscribe function. */
export function onLogoutElsewhere(onLogout: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === TOKEN_KEY && event.newValue === null) onLogout();
  };
  window.addEventListener('storage', onStorage);
  let channel: BroadcastChannel | null = null;
  if (typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'logout') onLogout();
    };
  }
  return () => {
    window.removeEventListener('storage', onStorage);
    channel?.close();
  };
}
