import { useEffect } from 'react';

export interface ToastData {
  id: string;
  text: string;
  /** A button in the toast ("Undo"); the toast closes when it is pressed. */
  action?: { label: string; onAction: () => void };
  /** Milliseconds before it goes by itself (and `onExpire` runs). */
  durationMs: number;
  onExpire?: () => void;
}

/** Short notices at the bottom of the screen, announced politely; one button each at most. */
export function Toasts({ toasts, onDismiss }: { toasts: ToastData[]; onDismiss: (id: string) => void }) {
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <Toast key={toast.id} toast={toast} onDismiss={onDismiss} />
      ))}
    </div>
  );
}

function Toast({ toast, onDismiss }: { toast: ToastData; onDismiss: (id: string) => void }) {
  const { id, durationMs, onExpire } = toast;
  useEffect(() => {
    const timer = window.setTimeout(() => {
      onExpire?.();
      onDismiss(id);
    }, durationMs);
    return () => window.clearTimeout(timer);
  }, [id, durationMs, onExpire, onDismiss]);

  return (
    <div className="toast">
      <span>{toast.text}</span>
      {toast.action && (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            toast.action?.onAction();
            onDismiss(id);
          }}
        >
          {toast.action.label}
        </button>
      )}
    </div>
  );
}
