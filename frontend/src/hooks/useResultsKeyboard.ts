import { useEffect, type RefObject } from 'react';

/** The button of each row in the chat list that opens its chat. */
const ROW_BUTTON = '.session-item';

/** The first chat listed under the search box, if any is in the page. */
export function firstResult(search: HTMLElement): HTMLElement | null {
  return search.closest('nav')?.querySelector<HTMLElement>(ROW_BUTTON) ?? null;
}

/**
 * Arrow keys between the search box and the chats listed under it: ↓ in the box moves to
 * the first chat, ↑/↓ move between chats, ↑ on the first goes back to the box; Enter (or
 * Space) on a chat opens it, as on any button. Only the rows in the page are reached: a
 * row focused is scrolled into view. ↓ pressed while the results of what is typed are not
 * in yet is the search box's (SearchBox sends the search and waits for them).
 */
export function useResultsKeyboard(searchRef: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const down = event.key === 'ArrowDown';
      if ((!down && event.key !== 'ArrowUp') || event.defaultPrevented) return;
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const search = searchRef.current;
      const list = search?.closest('nav');
      if (!search || !list || !(event.target instanceof HTMLElement)) return;
      const rows = Array.from(list.querySelectorAll<HTMLElement>(ROW_BUTTON));
      let next: HTMLElement | undefined;
      if (event.target === search) {
        next = down ? rows[0] : undefined;
      } else {
        const index = rows.indexOf(event.target);
        if (index === -1) return;
        next = down ? rows[index + 1] : index === 0 ? search : rows[index - 1];
        // At either end the focus stays; the list does not scroll under it.
        event.preventDefault();
      }
      if (!next) return;
      event.preventDefault();
      next.focus();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [searchRef]);
}
