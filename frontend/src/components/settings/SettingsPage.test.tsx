import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../../test/fetchRoutes';
import { SettingsPage } from './SettingsPage';

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

function renderPage(username: string | null = 'alice') {
  const props = {
    onBack: vi.fn(),
    onLogout: vi.fn(),
    onNewToken: vi.fn(),
    onSignedOut: vi.fn(),
  };
  render(<SettingsPage userId="u1" username={username} {...props} />);
  return props;
}

const TOKEN = { access_token: 'new', token_type: 'bearer', user_id: 'u1' };

describe('SettingsPage', () => {
  it('changes the password and logs this device in again with the new one', async () => {
    const calls = stubFetch({
      'POST /auth/password': () => ({ status: 204 }),
      'POST /auth/token': () => ({ status: 200, body: TOKEN }),
    });
    const props = renderPage();
    await userEvent.type(screen.getByLabelText('Current password'), 'old-secret');
    await userEvent.type(screen.getByLabelText('New password'), 'new-secret-1');
    await userEvent.type(screen.getByLabelText('New password again'), 'new-secret-1');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText(/Your password is changed/);
    expect(calls[0].body).toEqual({ current_password: 'old-secret', new_password: 'new-secret-1' });
    expect(calls[1].body).toMatchObject({ username: 'alice', password: 'new-secret-1' });
    expect(props.onNewToken).toHaveBeenCalledWith(TOKEN);
  });

  it('refuses two different new passwords without asking the server', async () => {
    const calls = stubFetch({});
    renderPage();
    await userEvent.type(screen.getByLabelText('Current password'), 'old-secret');
    await userEvent.type(screen.getByLabelText('New password'), 'new-secret-1');
    await userEvent.type(screen.getByLabelText('New password again'), 'new-secret-2');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('The two new passwords are not the same.');
    expect(calls).toHaveLength(0);
  });

  it('says plainly when the current password is wrong', async () => {
    stubFetch({
      'POST /auth/password': () => ({ status: 403, body: { detail: 'Wrong password' } }),
    });
    renderPage();
    await userEvent.type(screen.getByLabelText('Current password'), 'wrong-one');
    await userEvent.type(screen.getByLabelText('New password'), 'new-secret-1');
    await userEvent.type(screen.getByLabelText('New password again'), 'new-secret-1');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('Couldn’t change your password: the password is not right.');
  });

  it('deletes the account with the password, after saying what is deleted', async () => {
    const calls = stubFetch({ 'DELETE /auth/me': () => ({ status: 204 }) });
    const props = renderPage();
    expect(screen.getByText(/every one of your chats/)).toBeInTheDocument();
    const remove = screen.getByRole('button', { name: 'Delete my account' });
    expect(remove).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Password to confirm'), 'secret-pw');
    await userEvent.click(remove);
    await waitFor(() => expect(props.onSignedOut).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({ method: 'DELETE', path: '/auth/me', body: { password: 'secret-pw' } });
  });

  it('logs out everywhere by confirming the password', async () => {
    const calls = stubFetch({ 'POST /auth/password': () => ({ status: 204 }) });
    const props = renderPage();
    await userEvent.type(screen.getByLabelText('Your password'), 'secret-pw');
    await userEvent.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    await waitFor(() => expect(props.onSignedOut).toHaveBeenCalledWith('You logged out on every device.'));
    expect(calls[0].body).toEqual({ current_password: 'secret-pw', new_password: 'secret-pw' });
  });

  it('remembers the theme, or follows the device again', async () => {
    renderPage();
    await userEvent.click(screen.getByLabelText('Dark'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('cora.theme')).toBe('dark');
    await userEvent.click(screen.getByLabelText('Same as my device'));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem('cora.theme')).toBeNull();
  });

  it('has no account sections without accounts (auth mode none)', () => {
    stubFetch({});
    renderPage(null);
    expect(screen.queryByText('Change password')).toBeNull();
    expect(screen.getByRole('button', { name: 'Download my data' })).toBeInTheDocument();
  });
});
