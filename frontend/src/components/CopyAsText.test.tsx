/** "Copy as text" before the Markdown renderer has arrived. A file of its own: the renderer is a
 * module loaded once per test file, and here nothing has loaded it before this test. */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { MessageList } from './MessageList';

it('copies a reply as it will read, not its Markdown, when the renderer has not arrived yet', async () => {
  const writeText = vi.fn(async (_text: string) => undefined);
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  const reply = { key: 'r1', sender: 'assistant' as const, text: 'You asked about **deductible**.', status: 'sent' as const };
  render(
    <MessageList messages={[reply]} userName="alice" busy={false} onRetry={() => {}} onStarter={() => {}} startersDisabled={false} />,
  );
  const shown = screen.getAllByRole('article', { name: 'Cora says' }).at(-1)!;
  expect(shown).toHaveTextContent('You asked about **deductible**.'); // its source, for now

  fireEvent.click(within(shown).getByRole('button', { name: 'Copy as text' }));

  await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
  expect(writeText).toHaveBeenCalledWith('You asked about deductible.');
  expect(within(shown).getByText('deductible', { selector: 'strong' })).toBeInTheDocument();
});
