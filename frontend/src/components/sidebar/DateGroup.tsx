import { useId, type ReactNode } from 'react';

export function DateGroup({ label, children }: { label: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="session-group" aria-labelledby={headingId}>
      <h3 className="session-group-heading" id={headingId}>
        {label}
      </h3>
      <ul className="session-list" aria-labelledby={headingId}>
        {children}
      </ul>
    </section>
  );
}
