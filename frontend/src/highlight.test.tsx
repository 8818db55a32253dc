import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Highlight } from './highlight';
import { dateGroup, formatMessageTime, groupByDate } from './time';

describe('Highlight', () => {
  it('marks the phrase and each word, case-insensitively', () => {
    const { container } = render(<Highlight text="Hail hit the ROOF; roof repairs and hail" query="  roof  hail " />);
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
      'Hail',
      'ROOF',
      'roof',
      'hail',
    ]);
    expect(container.textContent).toBe('Hail hit the ROOF; roof repairs and hail');
  });

  it('keeps markup and regex characters as text', () => {
    const { container } = render(<Highlight text={'a <img src=x onerror=alert(1)> (x+y)*'} query="(x+y)* <img" />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('a <img src=x onerror=alert(1)> (x+y)*');
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['<img', '(x+y)*']);
  });

  it('shows the text unmarked for an empty query', () => {
    const { container } = render(<Highlight text="nothing to mark" query="   " />);
    expect(container.querySelector('mark')).toBeNull();
    expect(container.textContent).toBe('nothing to mark');
  });
});

describe('date groups', () => {
  const now = new Date(2026, 10, 27, 9, 30); // local time
  const at = (y: number, m: number, d: number, h = 12) => new Date(y, m, d, h).toISOString();

  it('Today, Yesterday, Previous 7 days, then months', () => {
    expect(dateGroup(at(2026, 10, 27, 0), now)).toBe('Today');
    expect(dateGroup(at(2026, 10, 28), now)).toBe('Today'); // a clock ahead of ours
    expect(dateGroup(at(2026, 10, 26, 23), now)).toBe('Yesterday');
    expect(dateGroup(at(2026, 10, 20), now)).toBe('Previous 7 days');
    expect(dateGroup(at(2026, 10, 19), now)).toBe('November 2026');
    expect(dateGroup(at(2025, 11, 31), now)).toBe('December 2025');
  });

  it('groups consecutive items in order', () => {
    const items = [at(2026, 10, 27), at(2026, 10, 27), at(2026, 10, 26), at(2026, 9, 2)];
    expect(groupByDate(items, (t) => t, now).map((g) => [g.label, g.items.length])).toEqual([
      ['Today', 2],
      ['Yesterday', 1],
      ['October 2026', 1],
    ]);
  });
});

describe('message times', () => {
  it('shows the year only for another year', () => {
    const now = new Date(2026, 10, 27, 9, 30);
    expect(formatMessageTime(new Date(2026, 10, 27, 8, 5).toISOString(), now)).toBe('8:05 AM');
    expect(formatMessageTime(new Date(2026, 2, 3, 15, 42).toISOString(), now)).toBe('Mar 3, 3:42 PM');
    expect(formatMessageTime(new Date(2025, 10, 13, 2, 13).toISOString(), now)).toBe('Nov 13, 2025, 2:13 AM');
  });
});
