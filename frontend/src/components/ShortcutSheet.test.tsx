import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseLanguage } from '../i18n';
import { shortcutLabel } from '../platform';
import { ShortcutSheet, shortcuts } from './ShortcutSheet';

afterEach(async () => {
  vi.unstubAllGlobals();
  await act(() => chooseLanguage('en'));
});

const labels = (mac: boolean, row: number) => shortcuts(mac)[row].keys.map((key) => key.label);

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
    expect(labels(true, 0)).toEqual(['⌘', '⇧', 'O']);
    expect(labels(false, 0)).toEqual(['Ctrl', 'Shift', 'O']);
  });

  it('names the keys as Spanish keyboards do (Mayús, Intro, Flecha abajo) in Spanish', async () => {
    await act(() => chooseLanguage('es'));
    expect(labels(false, 0)).toEqual(['Ctrl', 'Mayús', 'O']);
    expect(labels(false, 4)).toEqual(['Mayús', 'Intro']);
    expect(labels(false, 5)).toEqual(['Esc']);
    expect(shortcutLabel('o', { shift: true })).toBe('Ctrl+Mayús+O');
    render(<ShortcutSheet />);
    fireEvent.keyDown(window, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: 'Atajos de teclado' });
    const results = within(dialog).getByText(/Desde el cuadro de búsqueda/).closest('.shortcut-row') as HTMLElement;
    expect([...results.querySelectorAll('kbd')].map((kbd) => kbd.textContent)).toEqual([
      '↓Flecha abajo',
      'Intro',
    ]);
    expect(dialog.textContent).not.toMatch(/Enter|Shift|Down/);
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
