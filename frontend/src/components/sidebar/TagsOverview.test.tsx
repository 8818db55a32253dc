import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../../test/fetchRoutes';
import { TagsOverview } from './TagsOverview';

afterEach(() => vi.unstubAllGlobals());

describe('TagsOverview', () => {
  it('reads the tags when opened, most used first, and picks one to filter by', async () => {
    const calls = stubFetch({
      'GET /sessions/alice/tags': () => ({ status: 200, body: { tags: [{ tag: 'car', count: 3 }, { tag: 'home', count: 1 }] } }),
    });
    const onPick = vi.fn();
    render(<TagsOverview userId="alice" selected={null} onPick={onPick} />);
    expect(calls).toHaveLength(0);
    await userEvent.click(screen.getByText('Tags'));
    const list = await screen.findByRole('list', { name: 'Your tags' });
    expect(list.textContent).toBe('car (3)home (1)');
    await userEvent.click(screen.getByRole('button', { name: 'home (1)' }));
    expect(onPick).toHaveBeenCalledWith('home');
  });

  it('clears the filter when the chosen tag is pressed again', async () => {
    stubFetch({ 'GET /sessions/alice/tags': () => ({ status: 200, body: { tags: [{ tag: 'car', count: 2 }] } }) });
    const onPick = vi.fn();
    render(<TagsOverview userId="alice" selected="car" onPick={onPick} />);
    await userEvent.click(screen.getByText('Tags'));
    const chip = await screen.findByRole('button', { name: 'car (2)' });
    expect(chip).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(chip);
    expect(onPick).toHaveBeenCalledWith(null);
  });

  it('offers Retry after a failure', async () => {
    let fail = true;
    stubFetch({
      'GET /sessions/alice/tags': () =>
        fail ? { status: 503, body: { detail: 'Storage unavailable' } } : { status: 200, body: { tags: [] } },
    });
    render(<TagsOverview userId="alice" selected={null} onPick={vi.fn()} />);
    await userEvent.click(screen.getByText('Tags'));
    await screen.findByText(/Couldn’t load your tags/);
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByText(/No tags yet/)).toBeInTheDocument());
  });
});
