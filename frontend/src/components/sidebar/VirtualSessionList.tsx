import { useId, useMemo, useState, type ComponentPropsWithRef, type FocusEvent, type ReactNode } from 'react';
import {
  defaultRangeExtractor,
  measureElement,
  observeElementRect,
  useVirtualizer,
  type Range,
} from '@tanstack/react-virtual';
import type { SessionSummary } from '../../api';

export interface SessionGroup {
  label: string;
  items: SessionSummary[];
}

/** What a row's `<li>` must carry to be placed and measured in the virtual list. */
export type RowItemProps = ComponentPropsWithRef<'li'> & { 'data-index': number };

interface Entry {
  groupIndex: number;
  /** The row's chat; none for the group's heading. */
  session?: SessionSummary;
  /** 1-based place of the row in its group. */
  position: number;
}

/** Estimates until a row is measured (a row with tags or a search snippet is taller). */
const HEADING_PX = 30;
const ROW_PX = 58;
/** Rows rendered beyond each edge of the panel, so Tab and quick scrolls find them there. */
const OVERSCAN = 8;

function flatten(groups: SessionGroup[]): Entry[] {
  return groups.flatMap((group, groupIndex) => [
    { groupIndex, position: 0 },
    ...group.items.map((session, i) => ({ groupIndex, session, position: i + 1 })),
  ]);
}

/**
 * The grouped chat list with only the rows in (or near) view in the page. Each group stays a
 * section with its heading and a list whose rows say where they are in it (aria-setsize,
 * aria-posinset). The active chat's row and the row holding focus stay rendered while scrolled
 * away, so focus, an open menu or a rename in progress is never dropped.
 */
export function VirtualSessionList({
  groups,
  activeId,
  scrollElement,
  renderRow,
}: {
  groups: SessionGroup[];
  activeId: string | null;
  scrollElement: HTMLDivElement | null;
  renderRow: (session: SessionSummary, itemProps: RowItemProps) => ReactNode;
}) {
  const idPrefix = useId();
  const entries = useMemo(() => flatten(groups), [groups]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const keptIndexes = useMemo(() => {
    const kept = new Set([activeId, focusedId]);
    return entries.flatMap((entry, index) => (entry.session && kept.has(entry.session.session_id) ? [index] : []));
  }, [entries, activeId, focusedId]);

  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollElement,
    estimateSize: (index) => (entries[index].session ? ROW_PX : HEADING_PX),
    getItemKey: (index) => entries[index].session?.session_id ?? `group:${groups[entries[index].groupIndex].label}`,
    overscan: OVERSCAN,
    rangeExtractor: (range: Range) =>
      [...new Set([...defaultRangeExtractor(range), ...keptIndexes])].sort((a, b) => a - b),
    // Without layout (a panel not shown yet, or a test's DOM) the panel and its rows have no
    // height: render a window's worth of rows at their estimated heights until they have one.
    observeElementRect: (instance, onRect) =>
      observeElementRect(instance, (rect) => onRect(rect.height > 0 ? rect : { ...rect, height: window.innerHeight })),
    measureElement: (element, entry, instance) =>
      measureElement(element, entry, instance) || instance.options.estimateSize(instance.indexFromElement(element)),
  });

  const items = virtualizer.getVirtualItems();
  const shownGroups = [...new Set(items.map((item) => entries[item.index].groupIndex))];
  const headingId = (groupIndex: number) => `${idPrefix}-group-${groupIndex}`;

  const place = (index: number): { style: { top: number }; 'data-index': number; ref: (el: Element | null) => void } => ({
    style: { top: virtualizer.measurementsCache[index]?.start ?? 0 },
    'data-index': index,
    ref: virtualizer.measureElement,
  });

  const trackFocus = (event: FocusEvent<HTMLDivElement>) => {
    const index = Number((event.target as Element).closest('[data-index]')?.getAttribute('data-index'));
    setFocusedId(Number.isInteger(index) ? (entries[index]?.session?.session_id ?? null) : null);
  };

  return (
    <div
      className="session-virtual"
      style={{ height: virtualizer.getTotalSize() }}
      onFocus={trackFocus}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setFocusedId(null);
      }}
    >
      {shownGroups.map((groupIndex) => {
        const group = groups[groupIndex];
        const headingIndex = entries.findIndex((entry) => entry.groupIndex === groupIndex);
        return (
          <section key={group.label} className="session-group" aria-labelledby={headingId(groupIndex)}>
            <h3
              className={`session-group-heading${groupIndex > 0 ? ' is-later' : ''}`}
              id={headingId(groupIndex)}
              {...place(headingIndex)}
            >
              {group.label}
            </h3>
            <ul className="session-list" aria-labelledby={headingId(groupIndex)}>
              {items.map(({ index }) => {
                const entry = entries[index];
                if (entry.groupIndex !== groupIndex || !entry.session) return null;
                return renderRow(entry.session, {
                  ...place(index),
                  'aria-setsize': group.items.length,
                  'aria-posinset': entry.position,
                });
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
