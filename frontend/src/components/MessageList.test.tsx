import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessageList } from './MessageList';

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
