import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Feedback } from '../../api';
import { stubFetch } from '../../test/fetchRoutes';
import { FeedbackButtons } from './FeedbackButtons';
import { FeedbackContext } from './FeedbackContext';

const PATH = '/sessions/alice/s1/messages/m1';

afterEach(() => vi.unstubAllGlobals());

function buttons(stored: Feedback | null) {
  return (
    <FeedbackContext.Provider value={{ userId: 'alice', sessionId: 's1' }}>
      <FeedbackButtons messageId="m1" stored={stored} />
    </FeedbackContext.Provider>
  );
}

function renderButtons(stored: Feedback | null = null) {
  return render(buttons(stored));
}

function echoServer() {
  return stubFetch({
    [`PATCH ${PATH}`]: ({ body }) => ({
      status: 200,
      body: { id: 'm1', sender: 'assistant', text: 'hi', timestamp: 't', metadata: {}, ...(body as object) },
    }),
  });
}

describe('FeedbackButtons', () => {
  it('saves a thumbs up, then a comment, and shows them', async () => {
    const calls = echoServer();
    renderButtons();
    const up = screen.getByRole('button', { name: 'Good reply' });
    expect(up).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(up);
    await waitFor(() => expect(up).toHaveAttribute('aria-pressed', 'true'));
    expect(calls[0]).toMatchObject({ method: 'PATCH', path: PATH, body: { feedback: { rating: 'up' } } });

    await userEvent.click(screen.getByRole('button', { name: 'Add a comment' }));
    await userEvent.type(screen.getByLabelText('Comment (optional)'), 'Clear answer');
    await userEvent.click(screen.getByRole('button', { name: 'Send comment' }));
    await screen.findByText('“Clear answer”');
    expect(calls[1].body).toEqual({ feedback: { rating: 'up', comment: 'Clear answer' } });
  });

  it('draws its thumbs as SVG, not as emoji that some systems lack', () => {
    renderButtons();
    for (const name of ['Good reply', 'Bad reply']) {
      const button = screen.getByRole('button', { name });
      expect(button.querySelector('svg')).not.toBeNull();
      expect(button.textContent).toBe('');
    }
  });

  it('shows the stored rating and clears it when pressed again', async () => {
    const calls = echoServer();
    renderButtons({ rating: 'down', comment: 'Wrong state' });
    const down = screen.getByRole('button', { name: 'Bad reply' });
    expect(down).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText('“Wrong state”')).toBeInTheDocument();
    await userEvent.click(down);
    await waitFor(() => expect(down).toHaveAttribute('aria-pressed', 'false'));
    expect(calls[0].body).toEqual({ feedback: null });
    expect(screen.getByText('Feedback removed.')).toBeInTheDocument();
  });

  it('shows a rating given elsewhere when the chat reads it (another tab)', () => {
    const view = renderButtons({ rating: 'up' });
    expect(screen.getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'true');
    view.rerender(buttons({ rating: 'down', comment: 'Not my state' }));
    expect(screen.getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByText('“Not my state”')).toBeInTheDocument();
    view.rerender(buttons(null));
    expect(screen.getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('opens the comment box focused, and Escape closes it', async () => {
    renderButtons({ rating: 'down' });
    await userEvent.click(screen.getByRole('button', { name: 'Add a comment' }));
    await waitFor(() => expect(screen.getByLabelText('Comment (optional)')).toHaveFocus());
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByLabelText('Comment (optional)')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a comment' })).toBeInTheDocument();
  });

  it('says when the server refuses, and keeps the previous rating', async () => {
    stubFetch({ [`PATCH ${PATH}`]: () => ({ status: 422, body: { detail: 'Only assistant messages take feedback' } }) });
    renderButtons();
    await userEvent.click(screen.getByRole('button', { name: 'Good reply' }));
    await screen.findByText(/Couldn’t save your feedback/);
    expect(screen.getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'false');
  });
});
