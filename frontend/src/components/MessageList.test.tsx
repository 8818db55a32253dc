import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fromServer, suggestionsOf } from '../hooks/useThreads';
import { MessageList, type MessageListProps, type UiMessage } from './MessageList';

describe('MessageList', () => {
  it('shows the greeting formatted from the first paint, before the Markdown renderer has loaded', () => {
    render(
      <MessageList messages={[]} userName="alice" busy={false} onRetry={() => {}} onStarter={() => {}} startersDisabled={false} />,
    );
    // Checked in the same task as the render: nothing has had time to load.
    const greeting = screen.getByRole('article', { name: 'Cora says' });
    expect(within(greeting).getByText('Cora', { selector: 'strong' })).toBeInTheDocument();
    expect(greeting).not.toHaveTextContent('*');
  });
});

describe('suggested questions under a reply', () => {
  const question: UiMessage = { key: 'q', id: 'q', sender: 'user', text: 'rental car', status: 'sent' };
  const unsure: UiMessage = {
    key: 'r',
    id: 'r',
    sender: 'assistant',
    text: "I'm not sure I understood, and I'd rather not guess.",
    status: 'sent',
    suggestions: ['Does my car insurance cover a rental car when I travel?', 'Will I get a rental car while my car is being repaired?'],
  };
  const group = () => screen.queryByRole('group', { name: 'Suggestions' });
  const list = (messages: UiMessage[], props: Partial<MessageListProps> = {}) => (
    <MessageList messages={messages} userName="alice" busy={false} onRetry={() => {}} onStarter={() => {}} startersDisabled={false} {...props} />
  );

  it('offers the last reply’s suggestions as buttons that send the question', async () => {
    const onStarter = vi.fn();
    render(list([question, unsure], { onStarter }));

    const buttons = within(group()!).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(unsure.suggestions);
    await userEvent.click(buttons[1]);
    expect(onStarter).toHaveBeenCalledWith('Will I get a rental car while my car is being repaired?');
  });

  it('offers them under the last reply only, and not while a reply is on its way', () => {
    const later: UiMessage = { key: 'q2', id: 'q2', sender: 'user', text: 'and for travel?', status: 'sending' };
    const { rerender } = render(list([question, unsure, later]));
    expect(group()).toBeNull();

    rerender(list([question, unsure], { busy: true }));
    expect(group()).toBeNull();

    rerender(list([question, unsure], { startersDisabled: true }));
    expect(group()).toBeNull();

    rerender(list([question, unsure]));
    expect(group()).not.toBeNull();
  });

  it('reads them from a stored reply’s metadata, ignoring anything but a list of texts', () => {
    expect(suggestionsOf({ suggestions: ['What is a deductible?', 3, ' ', null] })).toEqual(['What is a deductible?']);
    expect(suggestionsOf({ suggestions: 'What is a deductible?' })).toBeUndefined();
    expect(suggestionsOf({ suggestions: [] })).toBeUndefined();
    expect(suggestionsOf(undefined)).toBeUndefined();
  });

  it('offers a person after the suggestions when Cora declined, and a click asks for one', async () => {
    const onStarter = vi.fn();
    render(list([question, { ...unsure, declined: true }], { onStarter }));

    const buttons = within(group()!).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual([...unsure.suggestions!, 'Talk to a person']);
    await userEvent.click(buttons[2]);
    expect(onStarter).toHaveBeenCalledWith('Talk to a person');
  });

  it('offers a person alone when a decline has no close topics, and nothing under an answer', () => {
    const declined: UiMessage = { ...unsure, suggestions: undefined, declined: true };
    const { rerender } = render(list([question, declined]));
    expect(within(group()!).getAllByRole('button').map((b) => b.textContent)).toEqual(['Talk to a person']);

    rerender(list([question, { ...unsure, suggestions: undefined, text: 'A deductible is…' }]));
    expect(group()).toBeNull();
  });

  it('knows a stored decline by its metadata.fallback', () => {
    const stored = { id: 'r', sender: 'assistant', text: 'I’m not sure', timestamp: '2026-12-07T00:00:00Z', status: 'complete' } as const;
    expect(fromServer({ ...stored, metadata: { fallback: true } }).declined).toBe(true);
    expect(fromServer({ ...stored, metadata: { faq_id: 'claims-file' } }).declined).toBe(false);
  });
});
