import { lazy, memo, Suspense } from 'react';

/**
 * Messages as Markdown. The renderer (react-markdown with GFM, about a third of the app's
 * script) is a separate chunk: the log-in page never loads it, and until it has arrived a
 * message shows as its plain text.
 */
const MarkdownRenderer = lazy(() => import('./MarkdownRenderer'));

/** Fetch the renderer when the browser is idle after the first paint. */
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
