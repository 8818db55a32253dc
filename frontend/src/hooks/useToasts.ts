import { useCallback, useState } from 'react';
import type { ToastData } from '../components/ui/Toast';
import { useMounted } from './useMounted';

/** The notices shown at the bottom of the screen; a toast replaces one with the same id. */
export function useToasts() {
  const [toasts, setToasts] = useState<ToastData[]>([]);
  const mounted = useMounted();

  const showToast = useCallback(
    (toast: ToastData) => {
      if (!mounted.current) return;
      setToasts((prev) => [...prev.filter((t) => t.id !== toast.id), toast]);
    },
    [mounted],
  );

  const dismissToast = useCallback(
    (id: string) => {
      if (mounted.current) setToasts((prev) => prev.filter((t) => t.id !== id));
    },
    [mounted],
  );

  return { toasts, showToast, dismissToast };
}
