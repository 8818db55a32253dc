import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShortcutSheet, shortcuts } from './ShortcutSheet';

afterEach(() => vi.unstubAllGlobals());

describe('ShortcutSheet', () => {
  it('opens with ? and with Ctrl+/, and closes with Escape', () => {
    render(<ShortcutSheet />);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(window, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('New chat');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(window, { key: '/', ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
  });

  it('leaves ? typed in a text field alone', () => {
    render(
      <>
        <input aria-label="Message" />
        <ShortcutSheet />
      </>,
    );
    fireEvent.keyDown(screen.getByLabelText('Message'), { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows ⌘ on Macs and Ctrl elsewhere', () => {
    expect(shortcuts(true)[0].keys).toEqual(['⌘', '⇧', 'O']);
    expect(shortcuts(false)[0].keys).toEqual(['Ctrl', 'Shift', 'O']);
  });

  it('is not offered on touch-only devices', () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: query.includes('pointer: coarse'),
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }));
    render(<ShortcutSheet />);
    fireEvent.keyDown(window, { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
