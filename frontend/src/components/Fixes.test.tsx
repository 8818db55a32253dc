/** The bugs of issue 14, each with the test that failed before its fix. */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../test/fakeServer';
import { renderWithConnection } from '../test/render';
import { Dashboard } from './Dashboard';
import { Login } from './Login';
import { TagEditor } from './sidebar/TagEditor';

const USER = 'alice';
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});

const log = () => screen.getByRole('log', { name: 'Conversation with Cora' });
const composer = () => screen.getByRole('textbox', { name: 'Message Cora' });
const nav = () => screen.getByRole('navigation', { name: 'Chats' });

function renderDashboard() {
  return renderWithConnection(<Dashboard userId={USER} username="alice" onLogout={vi.fn()} />);
}

describe('issue 14 fixes', () => {
  it('two tags added quickly are both kept, saved in order', async () => {
    const saved: string[][] = [];
    let release: () => void = () => undefined;
    const onChange = vi.fn(
      (tags: string[]) =>
        new Promise<void>((resolve) => {
          saved.push(tags);
          release = resolve;
        }),
    );
    render(<TagEditor title="Chat" tags={[]} onChange={onChange} onDone={vi.fn()} />);
    const input = screen.getByRole('textbox', { name: 'Add a tag' });
    await userEvent.type(input, 'car{Enter}');
    await userEvent.type(input, 'urgent{Enter}');
    // The second save waits for the first, and is built on it.
    expect(saved).toEqual([['car']]);
    await act(async () => release());
    await waitFor(() => expect(saved).toEqual([['car'], ['car', 'urgent']]));
    await act(async () => release());
    expect(screen.getByRole('button', { name: 'Remove tag car' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove tag urgent' })).toBeInTheDocument();
  });

  it('tags typed with commas are added one by one, without repeats', async () => {
    const onChange = vi.fn(() => Promise.resolve());
    render(<TagEditor title="Chat" tags={['Auto']} onChange={onChange} onDone={vi.fn()} />);
    const input = screen.getByRole('textbox', { name: 'Add a tag' });
    await userEvent.type(input, 'auto, urgent ,, home,urgent{Enter}');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith(['Auto', 'urgent', 'home']);
    expect(input).toHaveValue('');
    await userEvent.type(input, ' , {Enter}');
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('a message over the length limit goes back into the box, with the limit said', async () => {
    renderDashboard();
    await screen.findByRole('log');
    server.failNext('POST', /\/chat$/, {
      status: 413,
      detail: 'Message text has 100001 characters; the limit is 100000',
    });
    await userEvent.type(composer(), 'A very long question{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This message is too long (at most 100,000 characters). Shorten it or send it in parts',
    );
    expect(composer()).toHaveValue('A very long question');
    // No red bubble with a Retry that can only fail.
    expect(within(log()).queryByText('A very long question')).not.toBeInTheDocument();
    expect(within(log()).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });

  it('keeps the draft of each chat: across switching chats and a reload', async () => {
    server.addSession(USER, { title: 'Older' });
    server.addSession(USER, { title: 'Newer' });
    const first = renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'half a thought');
    const older = within(nav()).getByText('Older').closest('button')!;
    await userEvent.click(older);
    await waitFor(() => expect(composer()).toHaveValue(''));
    await userEvent.type(composer(), 'another draft');
    const newer = within(nav()).getByText('Newer').closest('button')!;
    await userEvent.click(newer);
    await waitFor(() => expect(composer()).toHaveValue('half a thought'));
    first.unmount();
    // A reload (the address names the Newer chat).
    renderDashboard();
    await screen.findByRole('log');
    await waitFor(() => expect(composer()).toHaveValue('half a thought'));
    await userEvent.click(within(nav()).getByText('Older').closest('button')!);
    await waitFor(() => expect(composer()).toHaveValue('another draft'));
    // Sent: the draft is gone.
    await userEvent.type(composer(), '{Enter}');
    await within(log()).findByText(/Here is what I know/);
    expect(localStorage.length).toBe(1);
  });

  it('after Stop, focus stays in the message box', async () => {
    const release = server.holdNext('POST', /\/chat$/);
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'Tell me everything{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Stop reply' }));
    await act(async () => release());
    await screen.findByRole('button', { name: 'Send' });
    expect(composer()).toHaveFocus();
  });

  it('has a skip link to the message box, the first thing Tab reaches', async () => {
    renderDashboard();
    await screen.findByRole('log');
    // The app moves focus to the message box once the chat can take input: wait for that
    // first, or it can land after the blur below and the Tab leaves the message box instead.
    await waitFor(() => expect(composer()).toHaveFocus());
    (document.activeElement as HTMLElement | null)?.blur();
    await userEvent.tab();
    const skip = screen.getByRole('link', { name: 'Skip to the message box' });
    expect(skip).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(composer()).toHaveFocus();
  });

  it('the log-in form starts with the username focused', () => {
    render(<Login onLoggedIn={vi.fn()} />);
    expect(screen.getByLabelText('Username')).toHaveFocus();
  });
});

describe('copy', () => {
  it('copies a reply as Markdown and as plain text', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderDashboard();
    await screen.findByRole('log');
    await userEvent.type(composer(), 'deductible{Enter}');
    await within(log()).findByText(/Here is what I know/);
    const reply = within(log()).getAllByRole('article', { name: 'Cora says' }).at(-1)!;
    // "Copy as text" copies the reply as shown: wait for the Markdown renderer (a lazy chunk,
    // which can arrive after the reply shows as plain text) to have formatted it.
    await within(reply).findByText('deductible', { selector: 'strong' });
    await userEvent.click(within(reply).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenLastCalledWith('You asked about **deductible**. Here is what I know.');
    // Said once the clipboard has answered (a promise): not necessarily by the time the click returns.
    await waitFor(() => expect(within(reply).getByRole('status')).toHaveTextContent('Copied.'));
    await userEvent.click(within(reply).getByRole('button', { name: 'Copy as text' }));
    expect(writeText).toHaveBeenLastCalledWith(expect.not.stringContaining('**'));
  });
});
