import { useEffect, useState } from 'react';
import { i18n } from '../i18n';
import { useTranslation } from 'react-i18next';
import { isMac, isTouchOnly } from '../platform';
import { Dialog } from './ui/Dialog';

/** A key as printed on the keyboard, and its name for a screen reader when that differs (↓). */
export interface Key {
  label: string;
  spoken?: string;
}

interface Shortcut {
  keys: Key[];
  what: string;
}

/**
 * The app's keyboard shortcuts, with the platform's command key (⌘ on Macs) and the key
 * names of the language in use (Spanish keyboards say Mayús and Intro).
 */
export function shortcuts(mac: boolean): Shortcut[] {
  const key = (label: string): Key => ({ label });
  const mod = key(mac ? '⌘' : i18n.t('keys.ctrl'));
  const shift = key(mac ? '⇧' : i18n.t('keys.shift'));
  const enter = key(i18n.t('keys.enter'));
  const down: Key = { label: '↓', spoken: i18n.t('keys.down') };
  return [
    { keys: [mod, shift, key('O')], what: i18n.t('misc.scNewChat') },
    { keys: [mod, key('K')], what: i18n.t('misc.scSearch') },
    { keys: [down, enter], what: i18n.t('misc.scResults') },
    { keys: [enter], what: i18n.t('misc.scSend') },
    { keys: [shift, enter], what: i18n.t('misc.scNewLine') },
    { keys: [key(i18n.t('keys.esc'))], what: i18n.t('misc.scClose') },
    { keys: [key('?')], what: i18n.t('misc.scSheet', { mod: mod.label }) },
  ];
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** Whether a key press asks for the shortcut sheet: `?` outside a text field, or Ctrl+/ (⌘/). */
export function asksForSheet(event: KeyboardEvent): boolean {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key === '/') return true;
  return event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingIn(event.target);
}

/** Opened with `?` or Ctrl+/ (⌘/ on Macs). Touch-only devices have no keyboard: no sheet. */
export function ShortcutSheet() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [returnTo, setReturnTo] = useState<HTMLElement | null>(null);
  const [touchOnly] = useState(isTouchOnly);
  const [mac] = useState(isMac);

  useEffect(() => {
    if (touchOnly) return undefined;
    function onKeyDown(event: KeyboardEvent) {
      if (!asksForSheet(event)) return;
      event.preventDefault();
      setReturnTo(document.activeElement instanceof HTMLElement ? document.activeElement : null);
      setOpen((was) => !was);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [touchOnly]);

  if (!open || touchOnly) return null;
  return (
    <Dialog title={t('misc.shortcutsTitle')} onCancel={() => setOpen(false)} returnTo={returnTo}>
      <dl className="shortcut-list">
        {shortcuts(mac).map(({ keys, what }) => (
          <div key={what} className="shortcut-row">
            <dt>
              {keys.map((key, index) => (
                <span key={key.label}>
                  {index > 0 && <span aria-hidden="true"> </span>}
                  {key.spoken ? (
                    <kbd>
                      <span aria-hidden="true">{key.label}</span>
                      <span className="visually-hidden">{key.spoken}</span>
                    </kbd>
                  ) : (
                    <kbd>{key.label}</kbd>
                  )}
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={() => setOpen(false)}>
          {t('misc.close')}
        </button>
      </div>
    </Dialog>
  );
}
