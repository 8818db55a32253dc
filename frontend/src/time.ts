const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dateFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' });
const dateYearFormat = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric' });
const fullFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "just now", "5 minutes ago", "yesterday", "Mar 3": short and calm. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 6 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  return then.getFullYear() === now.getFullYear() ? dateFormat.format(then) : dateYearFormat.format(then);
}

export function formatFull(iso: string): string {
  const then = new Date(iso);
  return Number.isNaN(then.getTime()) ? '' : fullFormat.format(then);
}

const timeFormat = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' });
const dayTimeFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** A message's time: "3:42 PM" today, "Mar 3, 3:42 PM" before. */
export function formatMessageTime(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  return then.toDateString() === now.toDateString() ? timeFormat.format(then) : dayTimeFormat.format(then);
}
