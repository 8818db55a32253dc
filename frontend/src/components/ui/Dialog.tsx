import { useEffect, useId, useRef, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * A modal dialog: focus moves in (to `initialFocus`, else the first control), stays
 * inside while it is open (Tab wraps), Escape cancels, and focus goes back to
 * `returnTo` when it closes.
 */
export function Dialog({
  title,
  description,
  children,
  onCancel,
  returnTo = null,
  role = 'dialog',
  cancelDisabled = false,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  onCancel: () => void;
  returnTo?: HTMLElement | null;
  role?: 'dialog' | 'alertdialog';
  cancelDisabled?: boolean;
}) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const textId = useId();

  useEffect(() => {
    const root = dialogRef.current;
    const first =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>('input, button:not(:disabled), textarea, select');
    first?.focus();
    return () => {
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [returnTo]);

  function onKeyDown(event: ReactKeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (!cancelDisabled) onCancel();
    } else if (event.key === 'Tab') {
      const focusable = [
        ...(dialogRef.current?.querySelectorAll<HTMLElement>(
          'button:not(:disabled), input:not(:disabled), textarea:not(:disabled), select:not(:disabled), a[href]',
        ) ?? []),
      ];
      if (focusable.length === 0) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={dialogRef}
        className="dialog"
        role={role}
        aria-modal="true"
        aria-labelledby={headingId}
        aria-describedby={description ? textId : undefined}
        onKeyDown={onKeyDown}
      >
        <h2 id={headingId}>{title}</h2>
        {description && <div id={textId}>{description}</div>}
        {children}
      </div>
    </div>,
    document.body,
  );
}
