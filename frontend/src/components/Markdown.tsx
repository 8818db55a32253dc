import { lazy, memo, Suspense } from 'react';

/**
 * Messages as Markdown. The renderer (react-markdown with GFM, about a third of the app's
 * script) is a separate chunk, fetched once the first page has painted (`usePreloadedMarkdown`):
 * the log-in page's first paint never waits for it. Until it has arrived a message shows as its
 * plain text.
 */
const MarkdownRenderer = lazy(() => import('./MarkdownRenderer'));

/** Start fetching the renderer (`usePreloadedMarkdown` calls it once the page is idle). */
export function preloadMarkdown(): Promise<unknown> {
  return import('./MarkdownRenderer');
}

const PLAIN = '.markdown-plain';
const FORMATTED_WITHIN_MS = 3000;

/** Once the Markdown inside `element` is shown formatted (the renderer has arrived and React
 * has drawn it), or after FORMATTED_WITHIN_MS if it never is: "Copy as text" copies what is on
 * screen, which before then is the Markdown source. */
export async function formatted(element: HTMLElement): Promise<void> {
  if (!element.querySelector(PLAIN)) return;
  try {
    await preloadMarkdown();
  } catch {
    return; // the renderer cannot be fetched (offline): the text as it is
  }
  const until = Date.now() + FORMATTED_WITHIN_MS;
  while (element.querySelector(PLAIN) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <Suspense
      fallback={
        <div className="markdown markdown-plain">
          <p>{text}</p>
        </div>
      }
    >
      <MarkdownRenderer text={text} />
    </Suspense>
  );
});
