import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../api';
import { NO_FILTER } from '../components/sidebar/filter';
import { FakeServer } from '../test/fakeServer';
import { PAGE_SIZE, useSessionList } from './useSessionList';

const USER = 'alice';
const LIST = /^\/sessions\/alice$/;
/** The list route in the recorded requests (path and query). */
const LISTED = /^\/sessions\/alice(\?|$)/;
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});

/** `count` chats titled "Chat 1" (oldest) to "Chat <count>" (most recent). */
function addChats(count: number, fields: (n: number) => Partial<Session> = () => ({})): Session[] {
  return Array.from({ length: count }, (_, i) => server.addSession(USER, { title: `Chat ${i + 1}`, ...fields(i + 1) }));
}

const titles = (list: { title?: string | null }[]) => list.map((s) => s.title);

function renderList() {
  return renderHook(() => useSessionList(USER));
}

async function renderLoaded() {
  const view = renderList();
  await act(async () => {
    await view.result.current.loadFirstPage();
  });
  return view;
}

describe('useSessionList', () => {
  it('loads the first page, most recent first, then the next pages', async () => {
    addChats(PAGE_SIZE + 5);
    const { result } = renderList();
    expect(result.current.shown.loading).toBe(true);

    let page: Awaited<ReturnType<typeof result.current.loadFirstPage>> = null;
    await act(async () => {
      page = await result.current.loadFirstPage();
    });
    expect(page).toEqual({ sessions: expect.any(Array) });
    expect(titles(result.current.shown.sessions)).toEqual(
      Array.from({ length: PAGE_SIZE }, (_, i) => `Chat ${PAGE_SIZE + 5 - i}`),
    );
    expect(result.current.shown).toMatchObject({ loading: false, error: null, hasMore: true });

    await act(() => result.current.loadMore());
    expect(titles(result.current.shown.sessions).slice(PAGE_SIZE)).toEqual(['Chat 5', 'Chat 4', 'Chat 3', 'Chat 2', 'Chat 1']);
    expect(result.current.shown.hasMore).toBe(false);
    expect(server.requests.filter((r) => LISTED.test(r.path)).map((r) => r.path)).toEqual([
      `/sessions/alice?limit=${PAGE_SIZE}`,
      `/sessions/alice?limit=${PAGE_SIZE}&cursor=${PAGE_SIZE}`,
    ]);
  });

  it('asks for one page at a time', async () => {
    addChats(3);
    const { result } = renderList();
    const release = server.holdNext('GET', LIST);
    let first: ReturnType<typeof result.current.loadFirstPage> = null;
    let second: ReturnType<typeof result.current.loadFirstPage> = null;
    act(() => {
      first = result.current.loadFirstPage();
      second = result.current.loadFirstPage();
    });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    release();
    await act(async () => {
      await first;
    });
    expect(server.count('GET', LISTED)).toBe(1);
  });

  it('says why a page failed, and the retry loads it', async () => {
    addChats(PAGE_SIZE + 1);
    const { result } = await renderLoaded();
    server.failNext('GET', LIST, { status: 503, detail: 'Storage is busy' });
    await act(() => result.current.loadMore());
    expect(result.current.shown.error).toMatch(/^Cora’s storage is unavailable for a moment/);
    expect(result.current.shown.sessions).toHaveLength(PAGE_SIZE);

    act(() => result.current.retry());
    await waitFor(() => expect(result.current.shown.sessions).toHaveLength(PAGE_SIZE + 1));
    expect(result.current.shown.error).toBeNull();
  });

  it('reports a first page that failed', async () => {
    server.failNext('GET', LIST, 'network');
    const { result } = renderList();
    let page: Awaited<ReturnType<typeof result.current.loadFirstPage>> = null;
    await act(async () => {
      page = await result.current.loadFirstPage();
    });
    expect(page).toEqual({ error: expect.any(String) });
    expect(result.current.shown.error).toBe((page as unknown as { error: string }).error);
  });

  it('searches: the server’s results while words are set, paged, and the list again after', async () => {
    addChats(PAGE_SIZE + 3, (n) => ({ title: n % 2 === 0 ? `Hail damage ${n}` : `Chat ${n}` }));
    const { result } = await renderLoaded();
    act(() => result.current.changeFilter({ q: 'hail', tag: null }));
    expect(result.current.filtering).toBe(true);
    await waitFor(() => expect(result.current.shown.sessions).toHaveLength(11));
    expect(titles(result.current.shown.sessions).every((t) => t?.startsWith('Hail damage'))).toBe(true);
    expect(result.current.shown.hasMore).toBe(false);
    expect(server.requests.at(-1)?.path).toBe(`/sessions/alice?limit=${PAGE_SIZE}&q=hail`);

    act(() => result.current.changeFilter(NO_FILTER));
    expect(result.current.filtering).toBe(false);
    expect(result.current.shown.sessions).toHaveLength(PAGE_SIZE);
    expect(result.current.shown.sessions[0].title).toBe(`Chat ${PAGE_SIZE + 3}`);
  });

  it('reads on when the server’s search budget cuts its pages short, instead of showing no results', async () => {
    addChats(30, (n) => ({ title: n <= 2 ? `Deductible question ${n}` : `Chat ${n}` }));
    const { result } = await renderLoaded();
    server.searchBudget = 8; // each search page reads 8 chats: the first three pages find nothing
    act(() => result.current.changeFilter({ q: 'deductible', tag: null }));
    await waitFor(() => expect(result.current.shown.settled).toBe(true));
    expect(titles(result.current.shown.sessions)).toEqual(['Deductible question 2', 'Deductible question 1']);
    expect(result.current.shown.hasMore).toBe(false);
    const searches = server.requests.filter((r) => r.path.includes('q=deductible')).map((r) => r.path);
    expect(searches).toEqual([
      `/sessions/alice?limit=${PAGE_SIZE}&q=deductible`,
      `/sessions/alice?limit=${PAGE_SIZE}&cursor=8&q=deductible`,
      `/sessions/alice?limit=${PAGE_SIZE}&cursor=16&q=deductible`,
      `/sessions/alice?limit=${PAGE_SIZE}&cursor=24&q=deductible`,
    ]);
  });

  it('pages through results with showMore', async () => {
    addChats(PAGE_SIZE + 2, () => ({ tags: ['home'] }));
    const { result } = await renderLoaded();
    act(() => result.current.changeFilter({ q: '', tag: 'home' }));
    await waitFor(() => expect(result.current.shown.sessions).toHaveLength(PAGE_SIZE));
    expect(result.current.shown.hasMore).toBe(true);
    act(() => result.current.showMore());
    await waitFor(() => expect(result.current.shown.sessions).toHaveLength(PAGE_SIZE + 2));
    expect(result.current.shown.hasMore).toBe(false);
    expect(new Set(result.current.shown.sessions.map((s) => s.session_id)).size).toBe(PAGE_SIZE + 2);
  });

  it('shows only the results of the latest words when an earlier search answers late', async () => {
    addChats(1, () => ({ title: 'Flood claim' }));
    addChats(1, () => ({ title: 'Fire claim' }));
    const { result } = await renderLoaded();
    const release = server.holdNext('GET', LIST);
    act(() => result.current.changeFilter({ q: 'flood', tag: null }));
    act(() => result.current.changeFilter({ q: 'fire', tag: null }));
    await waitFor(() => expect(titles(result.current.shown.sessions)).toEqual(['Fire claim']));
    release();
    // The held answer settles in microtasks: all done before the next timer.
    await act(() => new Promise((resolve) => window.setTimeout(resolve, 0)));
    expect(server.count('GET', LISTED)).toBe(3);
    expect(titles(result.current.shown.sessions)).toEqual(['Fire claim']);
    expect(result.current.shown.loading).toBe(false);
  });

  it('keeps a changed chat in order, and hides a chat being deleted until it is shown again', async () => {
    const [oldest, , newest] = addChats(3);
    const { result } = await renderLoaded();
    act(() =>
      result.current.touchSummary(oldest.session_id, (s) => ({ ...s, updated_at: '2030-01-01T00:00:00.000000Z' })),
    );
    expect(titles(result.current.shown.sessions)).toEqual(['Chat 1', 'Chat 3', 'Chat 2']);

    act(() => result.current.hide(oldest.session_id));
    expect(titles(result.current.shown.sessions)).toEqual(['Chat 3', 'Chat 2']);
    expect(result.current.findListed(() => true)?.session_id).toBe(newest.session_id);
    act(() => result.current.unhide(oldest.session_id));
    expect(titles(result.current.shown.sessions)).toEqual(['Chat 1', 'Chat 3', 'Chat 2']);

    act(() => result.current.dropSummary(oldest.session_id));
    expect(titles(result.current.shown.sessions)).toEqual(['Chat 3', 'Chat 2']);
    act(() => result.current.upsertSummary({ ...oldest, title: 'Renamed', archived: false }));
    expect(titles(result.current.shown.sessions)).toEqual(['Chat 3', 'Chat 2', 'Renamed']);
    act(() => result.current.upsertSummary({ ...oldest, archived: true }));
    expect(titles(result.current.shown.sessions)).toEqual(['Chat 3', 'Chat 2']);
  });

  it('is settled only once the results shown answer the filter set now', async () => {
    addChats(3, (n) => ({ title: n === 2 ? 'Hail damage' : n === 3 ? 'Hail and wind' : 'Chat 1' }));
    const { result } = await renderLoaded();
    expect(result.current.shown.settled).toBe(true);
    let release = server.holdNext('GET', LIST);
    act(() => result.current.changeFilter({ q: 'hail', tag: null }));
    // The results of nothing yet: not settled, whatever is listed.
    expect(result.current.shown.settled).toBe(false);
    release();
    await waitFor(() => expect(result.current.shown.settled).toBe(true));
    expect(titles(result.current.shown.sessions)).toEqual(['Hail and wind', 'Hail damage']);

    // Another search: "hail"'s results stay listed, but they do not answer "wind".
    release = server.holdNext('GET', LIST);
    act(() => result.current.changeFilter({ q: 'wind', tag: null }));
    expect(titles(result.current.shown.sessions)).toEqual(['Hail and wind', 'Hail damage']);
    expect(result.current.shown.settled).toBe(false);
    release();
    await waitFor(() => expect(result.current.shown.settled).toBe(true));
    expect(titles(result.current.shown.sessions)).toEqual(['Hail and wind']);
  });
});
