import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../test/fakeServer';
import { renderWithConnection } from '../test/render';
import { Dashboard } from './Dashboard';

const USER = 'alice';
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});

function renderDashboard() {
  const onLogout = vi.fn();
  const view = renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={onLogout} />);
  return { ...view, onLogout };
}

const log = () => screen.getByRole('log', { name: 'Conversation with Cora' });
const nav = () => screen.getByRole('navigation', { name: 'Chats' });
const sessionButtons = () =>
  within(nav())
    .queryAllByRole('listitem')
    .map((item) => within(item).getAllByRole('button')[0]);
const composer = () => screen.getByRole('textbox', { name: 'Message Cora' });

function withMessages(title: string, texts: [string, string][]) {
  let t = 0;
  return server.addSession(USER, {
    title,
    messages: texts.map(([sender, text]) => ({
      id: crypto.randomUUID(),
      sender: sender as 'user' | 'assistant',
      text,
      timestamp: `2026-11-2${t}T09:00:0${t++}.000000Z`,
      metadata: {},
      status: 'complete' as const,
    })),
  });
}

describe('Dashboard', () => {
  it('shows loading states while the first page is on its way', async () => {
    const release = server.holdNext('GET', /^\/sessions\/alice$/);
    renderDashboard();
    expect(screen.getByText('Loading your conversation…')).toBeInTheDocument();
    expect(within(nav()).getByRole('status')).toHaveTextContent('Loading your chats');
    expect(composer()).toBeDisabled();
    release();
    expect(await screen.findByRole('log')).toBeInTheDocument();
  });

  it('creates a session when the user has none, and greets with starter prompts', async () => {
    renderDashboard();
    const greeted = await screen.findByRole('log');
    await waitFor(() => expect(greeted).toHaveTextContent('I’m Cora'));
    expect(server.count('POST', /^\/sessions\/alice$/)).toBe(1);
    expect(server.sessions.size).toBe(1);
    const [item] = sessionButtons();
    expect(item).toHaveTextContent('New chat');
    expect(item).toHaveAttribute('aria-current', 'page');
    const starters = within(log()).getByRole('group', { name: 'Suggested questions' });
    expect(within(starters).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'File a claim',
      'Understand my deductible',
      'Change my policy',
    ]);
    // The greeting is the UI's, not stored.
    expect([...server.sessions.values()][0].messages).toHaveLength(0);
  });

  it('opens the most recent session with its messages, highlighted in the list', async () => {
    withMessages('Old question', [['user', 'Old question'], ['assistant', 'Old answer']]);
    withMessages('Newest question', [['user', 'Newest question'], ['assistant', 'Newest answer']]);
    renderDashboard();
    expect(await within(await screen.findByRole('log')).findByText('Newest answer')).toBeInTheDocument();
    const items = sessionButtons();
    expect(items.map((b) => b.querySelector('.session-title')?.textContent)).toEqual([
      'Newest question',
      'Old question',
    ]);
    expect(items[0]).toHaveAttribute('aria-current', 'page');
    expect(items[1]).not.toHaveAttribute('aria-current');
    expect(server.count('POST', /^\/sessions\/alice$/)).toBe(0);
    // Starters only in an empty conversation.
    expect(screen.queryByRole('group', { name: 'Suggested questions' })).not.toBeInTheDocument();
  });

  it('switches sessions and shows the right messages each time', async () => {
    withMessages('About my car', [['user', 'About my car'], ['assistant', 'Car answer']]);
    withMessages('About my house', [['user', 'About my house'], ['assistant', 'House answer']]);
    renderDashboard();
    await within(await screen.findByRole('log')).findByText('House answer');
    await userEvent.click(screen.getByRole('button', { name: /About my car/ }));
    expect(await within(log()).findByText('Car answer')).toBeInTheDocument();
    expect(within(log()).queryByText('House answer')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /About my car/ })).toHaveAttribute('aria-current', 'page');
    await userEvent.click(screen.getByRole('button', { name: /About my house/ }));
    expect(await within(log()).findByText('House answer')).toBeInTheDocument();
    expect(within(log()).queryByText('Car answer')).not.toBeInTheDocument();
  });

  it('shows an error when the sessions cannot be loaded, and recovers on retry', async () => {
    server.failNext('GET', /^\/sessions\/alice$/, { status: 503, detail: 'Storage unavailable' });
    renderDashboard();
    const alert = await screen.findByText(/Couldn’t load your conversations: Cora’s storage is unavailable for a moment/);
    expect(alert).toBeInTheDocument();
    expect(within(nav()).getByRole('alert')).toHaveTextContent('Cora’s storage is unavailable for a moment');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    const greeted = await screen.findByRole('log');
    await waitFor(() => expect(greeted).toHaveTextContent('I’m Cora'));
  });

  it('shows an error when a conversation cannot be loaded', async () => {
    withMessages('Broken', [['user', 'Broken']]);
    server.failNext('GET', /^\/sessions\/alice\/[0-9a-f-]+\/messages$/, {
      status: 500,
      detail: 'Session 123 cannot be read',
    });
    renderDashboard();
    expect(await screen.findByText(/Couldn’t load this conversation: something went wrong on Cora’s server/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('log')).toHaveTextContent('Broken');
  });

  it('starts a new chat from the button and the keyboard shortcut, shown at the top at once', async () => {
    withMessages('Existing', [['user', 'Existing'], ['assistant', 'Reply']]);
    renderDashboard();
    await within(await screen.findByRole('log')).findByText('Reply');
    await userEvent.click(within(nav()).getByRole('button', { name: 'New chat' }));
    await waitFor(() => expect(sessionButtons()).toHaveLength(2));
    expect(sessionButtons()[0]).toHaveTextContent('New chat');
    expect(sessionButtons()[0]).toHaveAttribute('aria-current', 'page');
    expect(within(log()).queryByText('Reply')).not.toBeInTheDocument();
    expect(within(log()).getByRole('group', { name: 'Suggested questions' })).toBeInTheDocument();

    expect(window.location.pathname).toBe(`/c/${[...server.sessions.keys()][1]}`);

    // The new chat is still empty: New chat opens it again instead of storing another.
    await userEvent.click(sessionButtons()[1]);
    await within(log()).findByText('Reply');
    await userEvent.keyboard('{Control>}{Shift>}o{/Shift}{/Control}');
    await waitFor(() => expect(sessionButtons()[0]).toHaveAttribute('aria-current', 'page'));
    await userEvent.click(within(nav()).getByRole('button', { name: 'New chat' }));
    await userEvent.click(within(nav()).getByRole('button', { name: 'New chat' }));
    expect(sessionButtons()).toHaveLength(2);
    expect(server.sessions.size).toBe(2);
    expect(server.count('POST', /^\/sessions\/alice$/)).toBe(1);
  });

  it('gives each chat its own address: Back and Forward switch chats, an unknown id says not found', async () => {
    withMessages('First', [['user', 'First question'], ['assistant', 'First answer']]);
    withMessages('Second', [['user', 'Second question'], ['assistant', 'Second answer']]);
    const [first, second] = [...server.sessions.keys()];
    window.history.replaceState(null, '', `/c/${first}`);
    renderDashboard();
    // The address names the chat to open, not the most recent one.
    await screen.findByRole('log');
    await within(await screen.findByRole('log')).findByText('First answer');
    await userEvent.click(sessionButtons().find((b) => /Second/.test(b.textContent ?? ''))!);
    await within(log()).findByText('Second answer');
    expect(window.location.pathname).toBe(`/c/${second}`);
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await within(log()).findByText('First answer');
    expect(window.location.pathname).toBe(`/c/${first}`);
    await act(async () => {
      window.history.forward();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await within(log()).findByText('Second answer');
  });

  it('says "Chat not found" for an id that is not the user’s', async () => {
    withMessages('Mine', [['user', 'Hello'], ['assistant', 'Hi']]);
    window.history.replaceState(null, '', '/c/00000000-0000-4000-8000-000000000000');
    renderDashboard();
    expect(await screen.findByRole('heading', { name: 'Chat not found' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Message Cora' })).toBeDisabled();
  });

  it('sends with Enter, shows the message at once, streams the reply and updates the list', async () => {
    const release = server.holdNext('POST', /\/chat$/);
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'What is my deductible?{Enter}');
    // Shown at once, before the server answers; sending is disabled meanwhile.
    expect(within(log()).getByText('What is my deductible?')).toBeInTheDocument();
    expect(composer()).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Stop reply' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send' })).not.toBeInTheDocument();
    release();
    expect(await within(log()).findByText(/Here is what I know/)).toBeInTheDocument();
    // Formatted once the Markdown renderer (a lazy chunk) has arrived, which can be after the
    // reply shows as plain text (this test first in its file: the chunk is still loading).
    expect(await within(log()).findByText('What is my deductible?', { selector: 'strong' })).toBeInTheDocument();
    await waitFor(() => expect(sessionButtons()[0]).toHaveTextContent('What is my deductible?'));
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled(); // empty composer
    const stored = [...server.sessions.values()][0].messages;
    expect(stored.map((m) => m.sender)).toEqual(['user', 'assistant']);
    const chatRequest = server.requests.find((r) => r.path.endsWith('/chat'));
    expect(chatRequest?.body).toEqual({ text: 'What is my deductible?', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('keeps Shift+Enter as a newline', async () => {
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'line one{Shift>}{Enter}{/Shift}line two');
    expect(composer()).toHaveValue('line one\nline two');
    expect(server.count('POST', /\/chat$/)).toBe(0);
  });

  it('sends a starter prompt on click', async () => {
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.click(screen.getByRole('button', { name: 'File a claim' }));
    expect(await within(log()).findByText(/You asked about/)).toBeInTheDocument();
    expect(server.requests.find((r) => r.path.endsWith('/chat'))?.body).toEqual({ text: 'File a claim', id: expect.any(String) });
  });

  it('marks a message that failed to save and retries it without duplicating', async () => {
    renderDashboard();
    await screen.findByRole('log');
    server.failNext('POST', /\/chat$/, { status: 503, detail: 'Storage unavailable' });
    await userEvent.type(composer(), 'Please file my claim{Enter}');
    const problem = await within(log()).findByText(/Not sent: Cora’s storage is unavailable for a moment/);
    expect(within(log()).getByText('Please file my claim')).toBeInTheDocument();
    expect([...server.sessions.values()][0].messages).toHaveLength(0);

    await userEvent.click(within(problem.parentElement!).getByRole('button', { name: 'Retry' }));
    expect(await within(log()).findByText(/Here is what I know/)).toBeInTheDocument();
    expect(within(log()).queryByText(/Not sent/)).not.toBeInTheDocument();
    expect(within(log()).getAllByText('Please file my claim', { selector: 'p' })).toHaveLength(1);
    expect([...server.sessions.values()][0].messages.map((m) => m.text)).toEqual([
      'Please file my claim',
      expect.stringContaining('Please file my claim'),
    ]);
  });

  it('keeps the saved message and says so when Cora cannot answer', async () => {
    renderDashboard();
    await screen.findByRole('log');
    server.assistantFailure = 'The assistant is unavailable';
    await userEvent.type(composer(), 'Are you there?{Enter}');
    expect(await within(log()).findByText(/Cora couldn’t answer: the assistant is not available right now/)).toBeInTheDocument();
    expect(within(log()).getByText('Are you there?')).toBeInTheDocument();
    expect(within(log()).queryByText(/Not sent/)).not.toBeInTheDocument();
    expect([...server.sessions.values()][0].messages.map((m) => m.sender)).toEqual(['user']);
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
  });

  it('shows a banner when the server cannot be reached and recovers when it is back', async () => {
    renderDashboard();
    await screen.findByRole('log');
    server.failNext('POST', /\/chat$/, 'network');
    server.failNext('GET', /^\/healthz$/, 'network');
    await userEvent.type(composer(), 'Hello?{Enter}');
    expect(await screen.findByText(/Cora can’t reach the server/)).toBeInTheDocument();
    expect(within(log()).getByText(/Not sent: the server cannot be reached/)).toBeInTheDocument();
    // /healthz fails once, then answers: the banner goes away without a reload.
    await waitFor(() => expect(screen.queryByText(/Cora can’t reach the server/)).not.toBeInTheDocument());
    // The unsaved message is still there to retry.
    expect(within(log()).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('stops a streaming reply with the Stop button', async () => {
    const release = server.holdNext('POST', /\/chat$/);
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'Tell me everything{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Stop reply' }));
    await act(async () => release());
    expect(await within(log()).findByText(/stopped before the server confirmed it/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
  });

  it('loads more sessions page by page', async () => {
    for (let i = 0; i < 45; i += 1) server.addSession(USER, { title: `Chat ${i}` });
    renderDashboard();
    await screen.findByRole('log');
    expect(sessionButtons()).toHaveLength(20);
    // The list is virtual: it renders the rows in view and tells how many there are.
    const listed = () => Number(sessionButtons()[0].closest('li')?.getAttribute('aria-setsize'));
    expect(listed()).toBe(20);
    await userEvent.click(screen.getByRole('button', { name: 'Show older chats' }));
    await waitFor(() => expect(listed()).toBe(40));
    await userEvent.click(screen.getByRole('button', { name: 'Show older chats' }));
    await waitFor(() => expect(listed()).toBe(45));
    expect(screen.queryByRole('button', { name: 'Show older chats' })).not.toBeInTheDocument();
    const shown = sessionButtons().map((b) => b.textContent);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('logs out from the header', async () => {
    const { onLogout } = renderDashboard();
    await screen.findByRole('log');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(onLogout).toHaveBeenCalled());
  });
});
