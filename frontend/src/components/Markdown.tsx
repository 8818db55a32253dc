import { lazy, memo, Suspense } from 'react';

/**
 * Messages as Markdown. The renderer (react-markdown with GFM, about a third of the app's
 * script) is a separate chunk, fetched once the first page has painted (`usePreloadedMarkdown`):
 * the log-in page's first paint never waits for it. Until it has arrived a message shows as its
 * plain text.
 */
const MarkdownRenderer = lazy(() => import('./MarkdownRenderer'));

/** Start fetching the renderer (`usePreloadedMarkdown` calls it once the page is idle). */
export function preloadMarkdown(): void {
  void import('./MarkdownRenderer');
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
