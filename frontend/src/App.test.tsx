import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { renderWithConnection } from './test/render';

type Handler = (path: string, init: RequestInit) => Response | undefined;

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A local-auth server with one account (bob / correct-horse) and no sessions. */
function authServer(extra?: Handler) {
  const token = 'token-for-bob';
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = String(input);
    const auth = (init.headers as Record<string, string> | undefined)?.Authorization;
    const custom = extra?.(path, init);
    if (custom) return custom;
    if (path === '/auth/me') {
      return auth === `Bearer ${token}`
        ? respond(200, { user_id: 'u-bob', username: 'bob' })
        : respond(401, { detail: 'Not authenticated' });
    }
    if (path === '/auth/token') {
      const form = new URLSearchParams(String(init.body));
      return form.get('password') === 'correct-horse'
        ? respond(200, { access_token: token, token_type: 'bearer', user_id: 'u-bob' })
        : respond(401, { detail: 'Incorrect username or password' });
    }
    if (path.startsWith('/sessions/u-bob')) {
      if (auth !== `Bearer ${token}`) return respond(401, { detail: 'Not authenticated' });
      if (init.method === 'POST')
        return respond(201, {
          session_id: '11111111-1111-4111-8111-111111111111',
          user_id: 'u-bob',
          title: null,
          created_at: '2026-11-26T10:00:00.000000Z',
          updated_at: '2026-11-26T10:00:00.000000Z',
          message_count: 0,
          tags: [],
          metadata: {},
          messages: [],
        });
      if (path.includes('/messages')) return respond(200, { messages: [], has_more: false });
      return respond(200, { sessions: [], next_cursor: null });
    }
    return respond(404, { detail: 'Not Found' });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('App', () => {
  it('logs in, keeps the token for a reload, and logs out', async () => {
    authServer();
    const first = renderWithConnection(<App />);
    expect(await screen.findByRole('heading', { name: 'Log in to Cora' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Username'), 'bob');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong-password');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That username and password don’t match.');

    await userEvent.clear(screen.getByLabelText('Password'));
    await userEvent.type(screen.getByLabelText('Password'), 'correct-horse');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('log')).toBeInTheDocument();
    expect(localStorage.getItem('cora.token')).toBe('token-for-bob');
    first.unmount();
    // (This fake server keeps no chats: the reload starts at the root, not at the chat.)
    window.history.replaceState(null, '', '/');

    // A reload: the stored token is used, no log-in form.
    renderWithConnection(<App />);
    expect(await screen.findByRole('log')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in to Cora' })).toBeInTheDocument();
    expect(localStorage.getItem('cora.token')).toBeNull();
  });

  it('registers, showing the server’s validation messages', async () => {
    authServer((path, init) => {
      if (path !== '/auth/register') return undefined;
      const { password } = JSON.parse(String(init.body)) as { password: string };
      if (password.length < 8)
        return respond(422, {
          detail: [{ loc: ['body', 'password'], msg: 'String should have at least 8 characters', type: 'string_too_short' }],
        });
      return respond(201, { user_id: 'u-bob', username: 'bob' });
    });
    renderWithConnection(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading', { name: 'Create your Cora account' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Username'), 'bob');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    // Said as a person would: not the validator's wording.
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose a password of at least 8 characters.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('String should');
    await userEvent.clear(screen.getByLabelText('Password'));
    await userEvent.type(screen.getByLabelText('Password'), 'correct-horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('log')).toBeInTheDocument();
  });

  it('returns to the log-in form when the stored token has expired', async () => {
    authServer();
    localStorage.setItem('cora.token', 'expired');
    renderWithConnection(<App />);
    expect(await screen.findByText('Your sign-in has expired. Please log in again.')).toBeInTheDocument();
    await waitFor(() => expect(localStorage.getItem('cora.token')).toBeNull());
  });

  it('asks for a user id when the server runs without accounts (auth none)', async () => {
    const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const path = String(input);
      if (path.startsWith('/auth/')) return respond(404, { detail: 'Not Found' });
      if (init.method === 'POST')
        return respond(201, {
          session_id: '22222222-2222-4222-8222-222222222222',
          user_id: 'dev-1',
          title: null,
          created_at: '2026-11-26T10:00:00.000000Z',
          updated_at: '2026-11-26T10:00:00.000000Z',
          message_count: 0,
          tags: [],
          metadata: {},
          messages: [],
        });
      if (path.includes('/messages')) return respond(200, { messages: [], has_more: false });
      return respond(200, { sessions: [], next_cursor: null });
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithConnection(<App />);
    await userEvent.type(await screen.findByLabelText('User id'), 'dev-1');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('log')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([url]) => String(url) === '/sessions/dev-1?limit=20')).toBe(true);
  });
});
