/** Dashboard: stop, message paging, and the sidebar's search, rename, tags, delete, export and import. */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Message } from '../api';
import { FakeServer } from '../test/fakeServer';
import { renderWithConnection } from '../test/render';
import { Dashboard } from './Dashboard';

const USER = 'alice';
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});

function renderDashboard() {
  return renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} />);
}

const log = () => screen.getByRole('log', { name: 'Conversation with Cora' });
const nav = () => screen.getByRole('navigation', { name: 'Chats' });
const rows = () => within(nav()).queryAllByRole('listitem');
const rowOf = (name: RegExp) => rows().find((row) => name.test(row.textContent ?? ''))!;
const composer = () => screen.getByRole('textbox', { name: 'Message Cora' });

function messages(count: number, prefix = 'Message'): Message[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    sender: i % 2 === 0 ? 'user' : 'assistant',
    text: `${prefix} ${i + 1}`,
    timestamp: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 1000).toISOString(),
    metadata: {},
    status: 'complete' as const,
  }));
}

async function openMenu(row: HTMLElement) {
  await userEvent.click(within(row).getByRole('button', { name: 'More options' }));
  return screen.getByRole('menu');
}

describe('live streams', () => {
  it('catch up on what another tab stored between reading the list and the chat and their streams opening', async () => {
    server.liveStreams = true;
    const chat = server.addSession(USER, { title: 'Hail damage', messages: messages(2, 'Hail') });
    const listStream = server.holdNext('GET', /^\/sessions\/alice\/events$/);
    const chatStream = server.holdNext('GET', new RegExp(`^/sessions/alice/${chat.session_id}/events$`));
    renderDashboard();
    await within(await screen.findByRole('log')).findByText('Hail 2');
    await waitFor(() => expect(server.count('GET', /\/events$/)).toBe(2)); // both asked, held
    // Another tab, meanwhile: a new chat, and a message in this one.
    server.addSession(USER, { title: 'Made in another tab' });
    server.sessions.get(chat.session_id)!.messages.push(...messages(3, 'Hail').slice(2).map((m) => ({ ...m, id: crypto.randomUUID() })));
    listStream();
    chatStream();
    await waitFor(() => expect(rowOf(/Made in another tab/)).toBeDefined());
    expect(await within(log()).findByText('Hail 3')).toBeInTheDocument();
    expect(within(log()).getAllByText(/^Hail \d$/).map((e) => e.textContent)).toEqual(['Hail 1', 'Hail 2', 'Hail 3']);
  });
});

describe('chat: ids and stop', () => {
  it('a retry sends the same message id as the first try', async () => {
    renderDashboard();
    await screen.findByRole('log');
    server.failNext('POST', /\/chat$/, 'network');
    await userEvent.type(composer(), 'Is my bike covered?{Enter}');
    await within(log()).findByText(/Not sent/);
    await userEvent.click(within(log()).getByRole('button', { name: 'Retry' }));
    await within(log()).findByText(/Here is what I know/);
    const ids = server.requests
      .filter((r) => r.path.endsWith('/chat'))
      .map((r) => (r.body as { id: string }).id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect([...server.sessions.values()][0].messages[0].id).toBe(ids[0]);
  });

  it('Stop calls the stop route and shows the stored reply, marked as stopped', async () => {
    server.slowReplies = true;
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'Explain everything about flood cover{Enter}');
    // The first piece streams in; the pane keeps the conversation meanwhile.
    expect(await within(log()).findByText('You')).toBeInTheDocument();
    expect(within(log()).getByText('Explain everything about flood cover')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Stop reply' }));
    expect(await within(log()).findByText(/You stopped this reply/)).toBeInTheDocument();
    expect(server.count('POST', /\/chat\/stop$/)).toBe(1);
    expect(await screen.findByRole('button', { name: 'Send' })).toBeInTheDocument();
    const stored = [...server.sessions.values()][0].messages;
    expect(stored.map((m) => m.sender)).toEqual(['user', 'assistant']);
    expect(stored[1].metadata).toEqual({ stopped: true });
    const reply = within(log()).getAllByRole('article', { name: 'Cora says' })[1];
    expect(reply).toHaveTextContent(stored[1].text.trim());
    expect(reply).toHaveTextContent('You stopped this reply.');
  });

  it('stops reading the stream when the stopped reply does not come', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      server.slowReplies = true;
      renderDashboard();
      await screen.findByRole('log');
      await userEvent.type(composer(), 'Slow question{Enter}');
      await within(log()).findByText('You');
      // The stop route answers, but nothing more comes on the stream.
      server.failNext('POST', /\/chat\/stop$/, { status: 200, detail: 'stopped nothing' });
      await userEvent.click(screen.getByRole('button', { name: 'Stop reply' }));
      expect(await screen.findByRole('button', { name: 'Stopping…' })).toBeDisabled();
      await act(() => vi.advanceTimersByTimeAsync(3100));
      expect(await within(log()).findByText(/You stopped this reply/)).toBeInTheDocument();
      expect(await screen.findByRole('button', { name: 'Send' })).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a stored stopped reply as stopped after a reload', async () => {
    server.addSession(USER, {
      title: 'Stopped one',
      messages: [
        { id: crypto.randomUUID(), sender: 'user', text: 'Tell me', timestamp: '2026-11-20T10:00:00.000000Z', metadata: {}, status: 'complete' },
        {
          id: crypto.randomUUID(),
          sender: 'assistant',
          text: 'Half an',
          timestamp: '2026-11-20T10:00:01.000000Z',
          metadata: { stopped: true },
          status: 'stopped',
        },
      ],
    });
    renderDashboard();
    const reply = (await within(await screen.findByRole('log')).findByText('Half an')).closest('article')!;
    expect(reply).toHaveTextContent('You stopped this reply.');
  });
});

describe('long conversations', () => {
  it('loads the latest 50 messages, then older pages before the oldest shown', async () => {
    server.addSession(USER, { title: 'Long', messages: messages(120) });
    renderDashboard();
    expect(await within(await screen.findByRole('log')).findByText('Message 120')).toBeInTheDocument();
    expect(within(log()).getAllByRole('article')).toHaveLength(50);
    expect(within(log()).queryByText('Message 70')).not.toBeInTheDocument();
    // No greeting or starters above a partial conversation.
    expect(log()).not.toHaveTextContent('I’m Cora');
    expect(server.count('GET', /^\/sessions\/alice\/[0-9a-f-]+$/)).toBe(0); // never the whole session
    expect(server.requests.find((r) => r.path.includes('/messages'))?.path).toMatch(/limit=50$/);

    await userEvent.click(within(log()).getByRole('button', { name: 'Show earlier messages' }));
    expect(await within(log()).findByText('Message 70')).toBeInTheDocument();
    expect(within(log()).getAllByRole('article')).toHaveLength(100);
    const older = server.requests.filter((r) => r.path.includes('/messages')).at(-1)!;
    expect(older.path).toContain(`before=${messages(120)[70].id}`);

    await userEvent.click(within(log()).getByRole('button', { name: 'Show earlier messages' }));
    expect(await within(log()).findByText('Message 1')).toBeInTheDocument();
    expect(within(log()).queryByRole('button', { name: 'Show earlier messages' })).not.toBeInTheDocument();
    expect(log()).toHaveTextContent('I’m Cora');
    const texts = within(log())
      .getAllByRole('article')
      .slice(1)
      .map((a) => a.querySelector('.bubble')?.textContent);
    expect(texts).toEqual(messages(120).map((m) => m.text));
  });

  it('says so when an older page fails, and retries', async () => {
    server.addSession(USER, { title: 'Long', messages: messages(60) });
    renderDashboard();
    await within(await screen.findByRole('log')).findByText('Message 60');
    server.failNext('GET', /\/messages$/, { status: 503, detail: 'Storage unavailable' });
    await userEvent.click(within(log()).getByRole('button', { name: 'Show earlier messages' }));
    const alert = await within(log()).findByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load earlier messages: Cora’s storage is unavailable for a moment');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await within(log()).findByText('Message 1')).toBeInTheDocument();
  });
});

describe('sidebar', () => {
  it('searches as you type (debounced), showing highlighted snippets, safely', async () => {
    server.addSession(USER, {
      title: 'Car trouble',
      messages: [
        { id: crypto.randomUUID(), sender: 'user', text: 'My windshield <img src=x onerror=alert(1)> cracked', timestamp: '2026-11-20T09:00:00.000000Z', metadata: {}, status: 'complete' },
      ],
    });
    server.addSession(USER, { title: 'Home insurance' });
    renderDashboard();
    await screen.findByRole('log');
    const search = screen.getByRole('searchbox', { name: 'Search chats' });
    // The keys typed with no pause between them (delay: null: no timer between keys): with
    // user-event's pause per key, a loaded machine can stall one past the 300 ms debounce and
    // send a search for part of the word.
    await userEvent.type(search, 'windshield', { delay: null });
    await waitFor(() => expect(rows()).toHaveLength(1));
    // One request for the whole word, not one per keystroke.
    expect(server.requests.filter((r) => r.path.includes('q=')).map((r) => r.path)).toEqual([
      '/sessions/alice?limit=20&q=windshield',
    ]);
    const row = rows()[0];
    expect(row).toHaveTextContent('Car trouble');
    expect(row).toHaveTextContent('My windshield <img src=x onerror=alert(1)> cracked');
    expect(row.querySelector('mark')).toHaveTextContent('windshield');
    expect(row.querySelector('img')).toBeNull();
    expect(within(nav()).getByRole('heading', { name: 'Search results' })).toBeInTheDocument();

    await userEvent.clear(search);
    await userEvent.type(search, 'nothing like it');
    expect(await within(nav()).findByText('No chats match “nothing like it”.')).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it('Ctrl+K focuses the search box', async () => {
    renderDashboard();
    await screen.findByRole('log');
    // The message box takes the focus once the chat has loaded, which can be after the log
    // shows: wait for it, or Ctrl+K can run first and the check below proves nothing.
    await waitFor(() => expect(composer()).toHaveFocus());
    await userEvent.keyboard('{Control>}k{/Control}');
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search chats' })).toHaveFocus());
  });

  it('a chat that finishes loading after Ctrl+K leaves the focus in the search box', async () => {
    server.addSession(USER, { title: 'Slow chat' });
    const release = server.holdNext('GET', /\/messages$/);
    renderDashboard();
    await within(nav()).findByText('Slow chat');
    await userEvent.keyboard('{Control>}k{/Control}');
    const search = screen.getByRole('searchbox', { name: 'Search chats' });
    await waitFor(() => expect(search).toHaveFocus());
    await act(async () => release());
    await waitFor(() => expect(composer()).toBeEnabled());
    expect(search).toHaveFocus();
  });

  it('renames in place (PATCH title); Escape cancels', async () => {
    const session = server.addSession(USER, { title: 'Old name' });
    renderDashboard();
    await screen.findByRole('log');
    let menu = await openMenu(rowOf(/Old name/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Rename' }));
    const input = within(nav()).getByRole('textbox', { name: 'Chat title' });
    expect(input).toHaveFocus();
    await userEvent.clear(input);
    await userEvent.type(input, 'Ignored{Escape}');
    expect(within(nav()).queryByRole('textbox', { name: 'Chat title' })).not.toBeInTheDocument();
    expect(server.count('PATCH', /./)).toBe(0);

    menu = await openMenu(rowOf(/Old name/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Rename' }));
    await userEvent.clear(within(nav()).getByRole('textbox', { name: 'Chat title' }));
    await userEvent.type(within(nav()).getByRole('textbox', { name: 'Chat title' }), 'Windshield claim{Enter}');
    await waitFor(() => expect(rowOf(/Windshield claim/)).toBeTruthy());
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ title: 'Windshield claim' });
    expect(server.sessions.get(session.session_id)?.title).toBe('Windshield claim');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Windshield claim');
  });

  it('shows the server’s reason when a rename fails', async () => {
    server.addSession(USER, { title: 'Keep me' });
    renderDashboard();
    await screen.findByRole('log');
    server.failNext('PATCH', /./, { status: 503, detail: 'Storage unavailable' });
    const menu = await openMenu(rowOf(/Keep me/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Rename' }));
    await userEvent.type(within(nav()).getByRole('textbox', { name: 'Chat title' }), ' now{Enter}');
    expect(await within(nav()).findByRole('alert')).toHaveTextContent('Couldn’t rename: Cora’s storage is unavailable for a moment');
  });

  it('deletes with Undo: hidden at once, deleted on the server only when the Undo time has passed', async () => {
    // The Undo time passes when the test says so, not while a loaded machine gets to the Undo
    // button: faked timers, on a clock that moves with real time too (for the waits) but not
    // nearly as far as UNDO in a test.
    const UNDO = 60_000;
    vi.useFakeTimers({ shouldAdvanceTime: true });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    server.addSession(USER, { title: 'Older chat', messages: messages(2, 'Older') });
    server.addSession(USER, { title: 'Doomed chat', messages: messages(2, 'Doomed') });
    renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} undoMs={UNDO} />);
    await within(await screen.findByRole('log')).findByText('Doomed 2');

    let menu = await openMenu(rowOf(/Doomed chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Delete' }));
    // Gone from the list at once, the other chat opened, nothing deleted yet.
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(await within(log()).findByText('Older 2')).toBeInTheDocument();
    const toast = await screen.findByText('Deleted “Doomed chat”.');
    expect(server.count('DELETE', /./)).toBe(0);
    await userEvent.click(within(toast.parentElement!).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    await act(() => vi.advanceTimersByTimeAsync(UNDO + 1000));
    expect(server.count('DELETE', /./)).toBe(0);
    expect(server.sessions.size).toBe(2);

    menu = await openMenu(rowOf(/Doomed chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Delete' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(server.count('DELETE', /./)).toBe(0);
    await act(() => vi.advanceTimersByTimeAsync(UNDO));
    await waitFor(() => expect(server.count('DELETE', /./)).toBe(1));
    expect(server.sessions.size).toBe(1);
    await waitFor(() => expect(screen.queryByText('Deleted “Doomed chat”.')).not.toBeInTheDocument());
    expect(within(rows()[0]).getAllByRole('button')[0]).toHaveAttribute('aria-current', 'page');
  });

  it('a deletion still waiting for its Undo time is made when the page is left, and before logging out', async () => {
    server.addSession(USER, { title: 'Older chat', messages: messages(2, 'Older') });
    server.addSession(USER, { title: 'Closed tab chat' });
    server.addSession(USER, { title: 'Logged out chat' });
    let deletedBeforeLogout = -1;
    const onLogout = vi.fn(() => {
      deletedBeforeLogout = server.count('DELETE', /./);
    });
    renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={onLogout} undoMs={600_000} />);
    await screen.findByRole('log');

    let menu = await openMenu(rowOf(/Closed tab chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Delete' }));
    await screen.findByText('Deleted “Closed tab chat”.');
    expect(server.count('DELETE', /./)).toBe(0);
    window.dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(server.sessions.size).toBe(2));
    // Undo after that brings nothing back: the chat is gone on the server.
    await userEvent.click(within(screen.getByText('Deleted “Closed tab chat”.').parentElement!).getByRole('button', { name: 'Undo' }));
    expect(rows().map((row) => row.textContent)).not.toContainEqual(expect.stringMatching(/Closed tab chat/));

    menu = await openMenu(rowOf(/Logged out chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Delete' }));
    await screen.findByText('Deleted “Logged out chat”.');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(onLogout).toHaveBeenCalled());
    expect(deletedBeforeLogout).toBe(2);
    expect([...server.sessions.values()].map((s) => s.title)).toEqual(['Older chat']);
  });

  it('a deletion still waiting for its Undo time is made when the chats are left (Settings)', async () => {
    server.addSession(USER, { title: 'Older chat', messages: messages(2, 'Older') });
    server.addSession(USER, { title: 'Left for settings' });
    const view = renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} undoMs={600_000} />);
    await screen.findByRole('log');
    const menu = await openMenu(rowOf(/Left for settings/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Delete' }));
    await screen.findByText('Deleted “Left for settings”.');
    view.unmount();
    await waitFor(() => expect([...server.sessions.values()].map((s) => s.title)).toEqual(['Older chat']));
  });

  it('names the open chat in the browser tab', async () => {
    server.addSession(USER, { title: 'Hail damage', messages: messages(2, 'Hail') });
    server.addSession(USER, { title: 'Roof leak', updated_at: '2025-01-01T00:00:00.000000Z' });
    const view = renderDashboard();
    await within(await screen.findByRole('log')).findByText('Hail 2');
    await waitFor(() => expect(document.title).toBe('Hail damage · Cora'));
    await userEvent.click(within(rowOf(/Roof leak/)).getAllByRole('button')[0]);
    await waitFor(() => expect(document.title).toBe('Roof leak · Cora'));
    view.unmount();
    expect(document.title).toBe('Cora');
  });

  it('pins a chat into a Pinned group on top, and archives it into the Archived view', async () => {
    server.addSession(USER, { title: 'Plain chat' });
    server.addSession(USER, { title: 'Favourite chat', updated_at: '2025-01-01T00:00:00.000000Z' });
    renderDashboard();
    await screen.findByRole('log');
    let menu = await openMenu(rowOf(/Favourite chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Pin' }));
    const pinned = await within(nav()).findByRole('region', { name: 'Pinned' });
    expect(within(pinned).getByText('Favourite chat')).toBeInTheDocument();
    expect(within(nav()).getAllByRole('heading', { level: 3 })[0]).toHaveTextContent('Pinned');

    menu = await openMenu(rowOf(/Plain chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Archive' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.click(within(nav()).getByRole('button', { name: 'Archived' }));
    expect(await within(nav()).findByRole('heading', { name: 'Archived chats' })).toBeInTheDocument();
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('Plain chat');
    menu = await openMenu(rowOf(/Plain chat/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Restore from archive' }));
    await waitFor(() => expect(rows()).toHaveLength(0));
    await userEvent.click(within(nav()).getByRole('button', { name: 'Back to chats' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it('edits tags (PATCH tags) and filters by a tag', async () => {
    server.addSession(USER, { title: 'Car claim' });
    server.addSession(USER, { title: 'Home claim', tags: ['home'] });
    renderDashboard();
    await screen.findByRole('log');
    const menu = await openMenu(rowOf(/Car claim/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Edit tags' }));
    const editor = within(nav()).getByRole('group', { name: 'Tags of Car claim' });
    await userEvent.type(within(editor).getByRole('textbox', { name: 'Add a tag' }), 'car{Enter}');
    await waitFor(() => expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ tags: ['car'] }));
    await userEvent.type(within(editor).getByRole('textbox', { name: 'Add a tag' }), 'urgent{Enter}');
    await waitFor(() => expect(within(editor).getByRole('button', { name: 'Remove tag urgent' })).toBeInTheDocument());
    await userEvent.click(within(editor).getByRole('button', { name: 'Remove tag urgent' }));
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'PATCH').at(-1)?.body).toEqual({ tags: ['car'] }));
    await userEvent.click(within(editor).getByRole('button', { name: 'Done' }));

    await userEvent.click(within(rowOf(/Home claim/)).getByRole('button', { name: 'Filter by tag: home' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    // The last list request (the chat's own requests may come after it).
    expect(server.requests.filter((r) => /^\/sessions\/alice(\?|$)/.test(r.path)).at(-1)?.path).toBe(
      '/sessions/alice?limit=20&tag=home',
    );
    expect(within(nav()).getByRole('button', { name: 'Filter by tag: home' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(within(nav()).getByRole('button', { name: 'Show all chats' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it('exports one chat and all chats as downloads', async () => {
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:cora-test');
    const revokeObjectURL = vi.fn();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL }));
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    server.addSession(USER, { title: 'Export me' });
    renderDashboard();
    await screen.findByRole('log');
    const menu = await openMenu(rowOf(/Export me/));
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Export as Markdown' }));
    await waitFor(() => expect(clicks).toEqual(['chat.md']));
    expect(server.requests.some((r) => r.path.endsWith('/export?format=markdown'))).toBe(true);
    expect(await createObjectURL.mock.calls[0][0].text()).toBe('# Export me\n');

    await userEvent.click(within(nav()).getByRole('button', { name: 'Export all chats' }));
    await waitFor(() => expect(clicks).toEqual(['chat.md', 'cora-alice.json']));
    // Said after the download has started (a state set after an await): wait for it too.
    await waitFor(() => expect(within(nav()).getByRole('status')).toHaveTextContent('Your chats were exported.'));
  });

  it('imports a file: says how many were imported and skipped, or the server’s reason', async () => {
    renderDashboard();
    await screen.findByRole('log');
    server.importAnswer = { imported: ['a', 'b'], skipped: ['c'] };
    const input = screen.getByLabelText('File to import');
    const file = new File(['{"format": "cora-sessions", "version": 1, "sessions": []}'], 'export.json', {
      type: 'application/json',
    });
    await userEvent.upload(input, file);
    expect(await within(nav()).findByText('Imported 2 chats. Skipped 1 chat already in your list.')).toBeInTheDocument();
    const sent = server.requests.find((r) => r.path.endsWith('/import'));
    expect(sent?.method).toBe('POST');

    server.importAnswer = { detail: 'The document is neither a cora-sessions export (an object with "format"…' };
    await userEvent.upload(input, new File(['[1, 2]'], 'bad.json', { type: 'application/json' }));
    const alert = await within(nav()).findByRole('alert');
    // Said for a person, not the developer's wording.
    expect(alert).toHaveTextContent(
      'Couldn’t import bad.json: it is not a chat export Cora can read. Choose a Cora export, or conversations.json from a ChatGPT data export.',
    );
    expect(alert).not.toHaveTextContent('"format"');
  });

  it('keeps the list grouped by date', async () => {
    // At a fixed midday, "a minute ago" is today whatever time the tests run.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 5, 15, 12, 0, 0));
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const day = 86_400_000;
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    server.addSession(USER, { title: 'Long ago', updated_at: '2025-03-04T10:00:00.000000Z' });
    server.addSession(USER, { title: 'Last week', updated_at: at(4 * day) });
    server.addSession(USER, { title: 'Yesterday one', updated_at: at(day) });
    server.addSession(USER, { title: 'Today one', updated_at: at(60_000) });
    renderDashboard();
    await screen.findByRole('log');
    await act(async () => undefined);
    const headings = within(nav())
      .getAllByRole('heading', { level: 3 })
      .map((h) => h.textContent);
    expect(headings).toEqual(['Today', 'Yesterday', 'Previous 7 days', 'March 2025']);
  });
});
