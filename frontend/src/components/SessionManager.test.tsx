import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../api';
import { SessionManager, type SessionManagerProps } from './SessionManager';

function summary(n: number, fields: Partial<SessionSummary> = {}): SessionSummary {
  const time = new Date(Date.now() - n * 3600_000).toISOString();
  return {
    session_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    user_id: 'alice',
    title: `Chat ${n}`,
    created_at: time,
    updated_at: time,
    message_count: 2,
    pinned: false,
    archived: false,
    tags: [],
    metadata: {},
    ...fields,
  };
}

function setup(props: Partial<SessionManagerProps> = {}) {
  const handlers = {
    onSelect: vi.fn(),
    onNewChat: vi.fn(),
    onLoadMore: vi.fn(),
    onRetry: vi.fn(),
  };
  render(
    <SessionManager
      sessions={[]}
      activeId={null}
      loading={false}
      error={null}
      hasMore={false}
      creating={false}
      createError={null}
      {...handlers}
      {...props}
    />,
  );
  return handlers;
}

describe('SessionManager', () => {
  // Chats are hours apart: at a fixed midday, the first several share the "Today" group
  // whatever time the tests run (only Date is faked; timers stay real).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 5, 15, 12, 0, 0));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is a navigation landmark with a New chat button', () => {
    setup();
    const nav = screen.getByRole('navigation', { name: 'Chats' });
    expect(within(nav).getByRole('button', { name: /new chat/i })).toBeEnabled();
  });

  it('shows a loading state before the first page', () => {
    setup({ loading: true });
    expect(screen.getByRole('status')).toHaveTextContent('Loading your chats');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows an error with a retry button', async () => {
    const { onRetry } = setup({ error: 'the server cannot be reached' });
    expect(screen.getByRole('alert')).toHaveTextContent('Couldn’t load your chats: the server cannot be reached');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('lists sessions with title, "New chat" for untitled ones, relative time and the active one marked', () => {
    const sessions = [summary(0, { title: null }), summary(3), summary(30)];
    setup({ sessions, activeId: sessions[1].session_id });
    const items = screen.getAllByRole('listitem').map((item) => within(item).getAllByRole('button')[0]);
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('New chat');
    expect(items[0]).toHaveTextContent('just now');
    expect(items[1]).toHaveTextContent('Chat 3');
    expect(items[1]).toHaveTextContent('3 hours ago');
    expect(items[1]).toHaveAttribute('aria-current', 'page');
    expect(items[0]).not.toHaveAttribute('aria-current');
    expect(items[2]).toHaveTextContent('yesterday');
  });

  it('calls onSelect and onNewChat', async () => {
    const sessions = [summary(1), summary(2)];
    const { onSelect, onNewChat } = setup({ sessions, activeId: sessions[0].session_id });
    await userEvent.click(screen.getByRole('button', { name: /Chat 2/ }));
    expect(onSelect).toHaveBeenCalledWith(sessions[1].session_id);
    await userEvent.click(screen.getByRole('button', { name: /new chat/i }));
    expect(onNewChat).toHaveBeenCalledTimes(1);
  });

  it('disables New chat while one is being created and shows a creation error', () => {
    setup({ creating: true, createError: 'Storage unavailable' });
    expect(screen.getByRole('button', { name: /starting/i })).toBeDisabled();
    expect(screen.getByRole('alert')).toHaveTextContent('Couldn’t start a new chat: Storage unavailable');
  });

  it('loads more when scrolled to the end, and offers a button for it', async () => {
    const sessions = Array.from({ length: 5 }, (_, i) => summary(i));
    const { onLoadMore } = setup({ sessions, hasMore: true });
    fireEvent.scroll(screen.getAllByRole('list')[0].closest('.session-scroll')!);
    expect(onLoadMore).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'Show older chats' }));
    expect(onLoadMore).toHaveBeenCalledTimes(2);
  });

  it('does not ask for more while a page is loading or when there is no more', () => {
    const sessions = [summary(1)];
    const { onLoadMore } = setup({ sessions, hasMore: true, loading: true });
    fireEvent.scroll(screen.getAllByRole('list')[0].closest('.session-scroll')!);
    expect(onLoadMore).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('Loading more chats');
  });
  it('renders only the rows near view of a long list, each with its place in its group; the active one stays', () => {
    const sessions = Array.from({ length: 2000 }, (_, i) => summary(i, { pinned: i === 5 }));
    setup({ sessions, activeId: sessions[1500].session_id });
    const rows = screen.getAllByRole('listitem');
    expect(rows.length).toBeLessThan(100);
    expect(screen.getAllByRole('heading', { level: 3 })[0]).toHaveTextContent('Pinned');
    const [pinnedList, firstDateList] = screen.getAllByRole('list');
    const pinnedRow = within(pinnedList).getByRole('listitem');
    expect(pinnedRow).toHaveTextContent('Chat 5');
    expect(pinnedRow).toHaveAttribute('aria-setsize', '1');
    expect(pinnedRow).toHaveAttribute('aria-posinset', '1');
    const dated = within(firstDateList).getAllByRole('listitem');
    expect(dated[0]).toHaveTextContent('Chat 0');
    expect(dated.map((row) => row.getAttribute('aria-posinset')).slice(0, 3)).toEqual(['1', '2', '3']);
    expect(Number(dated[0].getAttribute('aria-setsize'))).toBeGreaterThanOrEqual(dated.length);
    // Far below the rows in view, the active chat is still in the page (focus is not lost).
    const active = screen.getByRole('button', { current: 'page' });
    expect(active).toHaveTextContent('Chat 1500');
  });

  it('keeps a row’s tag edit and failed rename, with their text, while the row is scrolled out of the page', async () => {
    const sessions = Array.from({ length: 300 }, (_, i) => summary(i));
    const onRename = vi.fn(() => Promise.reject(new Error('the server said no')));
    setup({ sessions, onRename });
    const rowOf = (title: string) => screen.queryAllByRole('listitem').find((row) => row.querySelector('.session-title')?.textContent === title);
    const scroller = screen.getAllByRole('list')[0].closest('.session-scroll') as HTMLElement;
    const scrollTo = (top: number) => {
      scroller.scrollTop = top;
      fireEvent.scroll(scroller);
    };

    await userEvent.click(within(rowOf('Chat 0')!).getByRole('button', { name: 'More options' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Edit tags' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Add a tag' }), 'draft-tag');
    await userEvent.click(within(rowOf('Chat 1')!).getByRole('button', { name: 'More options' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Rename' }));
    const title = screen.getByRole('textbox', { name: 'Chat title' });
    await userEvent.clear(title);
    await userEvent.type(title, 'Renamed draft{Enter}');
    expect(onRename).toHaveBeenCalledWith(sessions[1].session_id, 'Renamed draft');
    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t rename: the server said no');
    await userEvent.click(document.body);
    expect(document.body).toHaveFocus();

    scrollTo(250 * 58);
    await vi.waitFor(() => expect(rowOf('Chat 250')).toBeDefined());
    expect(screen.queryByRole('textbox', { name: 'Add a tag' })).toBeNull();
    expect(screen.queryByRole('textbox', { name: 'Chat title' })).toBeNull();

    scrollTo(0);
    await vi.waitFor(() => expect(rowOf('Chat 250')).toBeUndefined());
    expect(screen.getByRole('group', { name: 'Tags of Chat 0' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Add a tag' })).toHaveValue('draft-tag');
    expect(screen.getByRole('textbox', { name: 'Chat title' })).toHaveValue('Renamed draft');
    // Shown again, not focused again: scrolling back does not move the focus.
    expect(document.body).toHaveFocus();
    // And the edit goes on where it was: the tag is added, the editor closes with Done.
    await userEvent.type(screen.getByRole('textbox', { name: 'Add a tag' }), '{Enter}');
    expect(screen.getByRole('button', { name: 'Remove tag draft-tag' })).toBeInTheDocument();
  });
});
