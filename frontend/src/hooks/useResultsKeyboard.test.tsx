/** Keyboard from the search box into the results, in the whole app (Dashboard on the fake server). */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../components/Dashboard';
import { FakeServer } from '../test/fakeServer';
import { renderWithConnection } from '../test/render';

const USER = 'alice';
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});

const nav = () => screen.getByRole('navigation', { name: 'Chats' });
const openButtons = () =>
  within(nav())
    .queryAllByRole('listitem')
    .map((item) => within(item).getAllByRole('button')[0]);
const searchBox = () => screen.getByRole('searchbox', { name: 'Search chats' });

function chat(title: string, text: string, updated = '2026-11-20T09:00:00.000000Z') {
  return server.addSession(USER, {
    title,
    updated_at: updated,
    messages: [
      { id: crypto.randomUUID(), sender: 'user', text, timestamp: '2026-11-20T09:00:00.000000Z', metadata: {}, status: 'complete' },
    ],
  });
}

describe('keyboard into search results', () => {
  it('↓ from the search box goes into the results, ↑/↓ move between them, Enter opens the chat', async () => {
    const basement = chat('Flooded basement', 'Water came in through the wall');
    chat('Flood insurance quote', 'How much is flood cover?');
    chat('Car trouble', 'My windshield cracked');
    renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} />);
    await screen.findByRole('log');

    await userEvent.click(searchBox());
    await userEvent.keyboard('flood{Enter}');
    await waitFor(() => expect(openButtons()).toHaveLength(2));
    const [quote, flooded] = openButtons();
    expect(quote).toHaveTextContent('Flood insurance quote');
    expect(flooded).toHaveTextContent('Flooded basement');

    await userEvent.keyboard('{ArrowDown}');
    expect(quote).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}');
    expect(flooded).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}');
    expect(flooded).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}');
    expect(quote).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}');
    expect(searchBox()).toHaveFocus();
    expect(searchBox()).toHaveValue('flood');
    await userEvent.keyboard('{ArrowUp}');
    expect(searchBox()).toHaveFocus();

    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    const log = screen.getByRole('log', { name: 'Conversation with Cora' });
    expect(await within(log).findByText('Water came in through the wall')).toBeInTheDocument();
    expect(window.location.pathname).toBe(`/c/${basement.session_id}`);
    expect(openButtons().find((b) => b.getAttribute('aria-current') === 'page')).toHaveTextContent('Flooded basement');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Message Cora' })).toHaveFocus());
  });

  it('leaves the arrow keys alone elsewhere, and with a modifier', async () => {
    chat('Flood insurance quote', 'How much is flood cover?');
    renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} />);
    await screen.findByRole('log');
    const composer = screen.getByRole('textbox', { name: 'Message Cora' });
    await waitFor(() => expect(composer).toHaveFocus());
    await userEvent.keyboard('{ArrowUp}{ArrowDown}');
    expect(composer).toHaveFocus();

    await userEvent.click(searchBox());
    await userEvent.keyboard('{Shift>}{ArrowDown}{/Shift}');
    expect(searchBox()).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}');
    expect(openButtons()[0]).toHaveFocus();
  });

  it('↓ typed before the search ran (or while it runs) waits for the results of what is typed, not the list shown', async () => {
    chat('Car trouble', 'My windshield cracked', '2026-11-20T08:00:00.000000Z');
    chat('Flooded basement', 'Water came in through the wall', '2026-11-20T09:00:00.000000Z');
    chat('Flood insurance quote', 'How much is flood cover?', '2026-11-20T10:00:00.000000Z');
    renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} />);
    await screen.findByRole('log');
    await waitFor(() => expect(openButtons()).toHaveLength(3));
    expect(openButtons()[0]).toHaveTextContent('Flood insurance quote');

    // The whole list is shown; "car" is typed and ↓ pressed at once. The search is held on
    // the server, so whether or not its pause had passed, its results are not in yet.
    let release = server.holdNext('GET', new RegExp(`^/sessions/${USER}$`));
    await userEvent.click(searchBox());
    // No pause between the keys (delay: null): a pause past the 300 ms debounce, on a loaded
    // machine, would send "c" or "ca" into the held request and let "car"'s answer in at once.
    await userEvent.keyboard('car{ArrowDown}', { delay: null });
    expect(searchBox()).toHaveFocus();
    expect(server.count('GET', /\?.*q=car/)).toBe(1);
    release();
    await waitFor(() => expect(openButtons()).toHaveLength(1));
    await waitFor(() => expect(openButtons()[0]).toHaveFocus());
    expect(openButtons()[0]).toHaveTextContent('Car trouble');

    // Results of "flood" shown; "ed" added and ↓ pressed: into "flooded"'s, not "flood"'s.
    await userEvent.click(searchBox());
    await userEvent.clear(searchBox());
    await userEvent.keyboard('flood{Enter}');
    await waitFor(() => expect(openButtons()).toHaveLength(2));
    expect(openButtons()[0]).toHaveTextContent('Flood insurance quote');
    release = server.holdNext('GET', new RegExp(`^/sessions/${USER}$`));
    await userEvent.keyboard('ed{ArrowDown}', { delay: null });
    expect(searchBox()).toHaveFocus();
    release();
    await waitFor(() => expect(openButtons()).toHaveLength(1));
    await waitFor(() => expect(openButtons()[0]).toHaveFocus());
    expect(openButtons()[0]).toHaveTextContent('Flooded basement');
    expect(searchBox()).toHaveValue('flooded');
  });
});
