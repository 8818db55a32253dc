/** What the list is narrowed to: words (`q`), one tag, and/or the archive (3.1, 3.4). */
export interface SessionFilter {
  q: string;
  tag: string | null;
  /** Show the archived chats instead of the others. */
  archived?: boolean;
}

export const NO_FILTER: SessionFilter = { q: '', tag: null };

export function isFiltering(filter: SessionFilter): boolean {
  return filter.q.trim() !== '' || filter.tag !== null || filter.archived === true;
}
