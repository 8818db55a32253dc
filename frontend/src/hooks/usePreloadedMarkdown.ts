import { useEffect } from 'react';
import { preloadMarkdown } from '../components/Markdown';

/** Fetch the Markdown renderer when the browser is idle after the first paint: the log-in page
 * does, so that a chat's first messages do not show as plain text while it arrives. */
export function usePreloadedMarkdown(): void {
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 1));
    idle(() => void preloadMarkdown());
  }, []);
}
