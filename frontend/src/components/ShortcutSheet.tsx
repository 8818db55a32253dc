import { useEffect, useState } from 'react';
import { i18n } from '../i18n';
import { useTranslation } from 'react-i18next';
import { isMac, isTouchOnly } from '../platform';
import { Dialog } from './ui/Dialog';

interface Shortcut {
  keys: string[];
  what: string;
}

/** The app's keyboard shortcuts, with the platform's command key (⌘ on Macs). */
export function shortcuts(mac: boolean): Shortcut[] {
  const mod = mac ? '⌘' : 'Ctrl';
  const shift = mac ? '⇧' : 'Shift';
  return [
    { keys: [mod, shift, 'O'], what: i18n.t('misc.scNewChat') },
    { keys: [mod, 'K'], what: i18n.t('misc.scSearch') },
    { keys: ['↓', 'Enter'], what: i18n.t('misc.scResults') },
    { keys: ['Enter'], what: i18n.t('misc.scSend') },
    { keys: [shift, 'Enter'], what: i18n.t('misc.scNewLine') },
    { keys: ['Esc'], what: i18n.t('misc.scClose') },
    { keys: ['?'], what: i18n.t('misc.scSheet', { mod }) },
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
                <span key={key}>
                  {index > 0 && <span aria-hidden="true"> </span>}
                  <kbd>{key}</kbd>
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
