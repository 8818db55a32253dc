import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MarkdownRenderer as Markdown } from './MarkdownRenderer';

describe('Markdown', () => {
  it('renders formatting', () => {
    const { container } = render(<Markdown text={'**Bold** and a [link](https://example.com/x)\n\n- one\n- two'} />);
    expect(container.querySelector('strong')).toHaveTextContent('Bold');
    const link = screen.getByRole('link', { name: 'link' });
    expect(link).toHaveAttribute('href', 'https://example.com/x');
    expect(link).toHaveAttribute('rel', expect.stringContaining('noopener'));
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it('shows raw HTML as text and runs nothing', () => {
    const alert = vi.spyOn(window, 'alert').mockImplementation(() => undefined);
    const hostile = '<img src=x onerror=alert(1)>';
    const { container } = render(<Markdown text={`before ${hostile} after\n\n<script>alert(2)</script>`} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container).toHaveTextContent(hostile);
    expect(container).toHaveTextContent('<script>alert(2)</script>');
    expect(alert).not.toHaveBeenCalled();
  });

  it('makes javascript: links inert', () => {
    const { container } = render(<Markdown text={'[x](javascript:alert(1)) and <javascript:alert(1)>'} />);
    for (const anchor of container.querySelectorAll('a')) {
      expect(anchor.getAttribute('href') ?? '').not.toMatch(/javascript:/i);
    }
    expect(screen.queryByRole('link', { name: 'x' })).not.toBeInTheDocument();
    expect(screen.getByText('x')).toHaveClass('inert-link');
  });

  it('does not load remote images', () => {
    const { container } = render(<Markdown text={'![policy](https://tracker.example/p.png)'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'Image: policy' })).toBeInTheDocument();
  });
});

describe('Markdown (lazy)', () => {
  it('shows the plain text until the renderer has loaded, then the formatting', async () => {
    const { Markdown: Lazy } = await import('./Markdown');
    const { container } = render(<Lazy text="**Bold** words" />);
    await waitFor(() => expect(container.querySelector('strong')).toHaveTextContent('Bold'));
  });
});
