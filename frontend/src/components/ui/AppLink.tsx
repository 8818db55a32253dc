import type { ReactNode } from 'react';

/** A link to a screen of the app: a real address (new tab, copy link), opened in place on click. */
export function AppLink({ href, onNavigate, children }: { href: string; onNavigate: () => void; children: ReactNode }) {
  return (
    <a
      className="button button-quiet"
      href={href}
      onClick={(event) => {
        event.preventDefault();
        onNavigate();
      }}
    >
      {children}
    </a>
  );
}
