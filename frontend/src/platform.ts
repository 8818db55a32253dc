/** What kind of device the app runs on, for the keyboard shortcuts it shows. */
import { i18n } from './i18n';

export function isMac(): boolean {
  const platform =
    (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ??
    navigator.platform ??
    '';
  return /mac|iphone|ipad|ipod/i.test(platform);
}

/** A touch screen without a mouse or trackpad: no keyboard shortcuts are shown. */
export function isTouchOnly(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(hover: none) and (pointer: coarse)').matches;
}

/**
 * "Ctrl+K" or "⌘K" for a shortcut with the platform's command key, in the language's key
 * names ("Ctrl+Mayús+O" in Spanish); null on touch devices.
 */
export function shortcutLabel(key: string, { shift = false }: { shift?: boolean } = {}): string | null {
  if (isTouchOnly()) return null;
  if (isMac()) return `${shift ? '⇧' : ''}⌘${key.toUpperCase()}`;
  return `${i18n.t('keys.ctrl')}+${shift ? `${i18n.t('keys.shift')}+` : ''}${key.toUpperCase()}`;
}
