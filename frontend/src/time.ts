import { currentLanguage, i18n } from './i18n';

/** Intl formatters cost something to build: one of each per language, made on first use. */
function perLanguage<F>(make: (language: string) => F): () => F {
  const made = new Map<string, F>();
  return () => {
    const language = currentLanguage();
    let formatter = made.get(language);
    if (!formatter) {
      formatter = make(language);
      made.set(language, formatter);
    }
    return formatter;
  };
}

const rtf = perLanguage((l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' }));
const dateFormat = perLanguage((l) => new Intl.DateTimeFormat(l, { month: 'short', day: 'numeric' }));
const dateYearFormat = perLanguage(
  (l) => new Intl.DateTimeFormat(l, { year: 'numeric', month: 'short', day: 'numeric' }),
);
const fullFormat = perLanguage((l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' }));

/** "just now", "5 minutes ago", "yesterday", "Mar 3": short and calm. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return i18n.t('time.justNow');
  if (abs < 45 * 60) return rtf().format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf().format(Math.round(seconds / 3600), 'hour');
  if (abs < 6 * 86400) return rtf().format(Math.round(seconds / 86400), 'day');
  return then.getFullYear() === now.getFullYear() ? dateFormat().format(then) : dateYearFormat().format(then);
}

export function formatFull(iso: string): string {
  const then = new Date(iso);
  return Number.isNaN(then.getTime()) ? '' : fullFormat().format(then);
}

const timeFormat = perLanguage((l) => new Intl.DateTimeFormat(l, { hour: 'numeric', minute: '2-digit' }));
const DAY_TIME: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const dayTimeFormat = perLanguage((l) => new Intl.DateTimeFormat(l, DAY_TIME));
const yearTimeFormat = perLanguage((l) => new Intl.DateTimeFormat(l, { ...DAY_TIME, year: 'numeric' }));

/** A message's time: "3:42 PM" today, "Mar 3, 3:42 PM" before, with the year if not this one. */
export function formatMessageTime(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  if (then.toDateString() === now.toDateString()) return timeFormat().format(then);
  return then.getFullYear() === now.getFullYear() ? dayTimeFormat().format(then) : yearTimeFormat().format(then);
}

const monthFormat = perLanguage((l) => new Intl.DateTimeFormat(l, { year: 'numeric', month: 'long' }));

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** A month heading starts with a capital in every language ("octubre de 2026" -> "Octubre de 2026"). */
function capitalised(text: string): string {
  return text.charAt(0).toLocaleUpperCase(currentLanguage()) + text.slice(1);
}

/**
 * The sidebar's date group of a time: "Today", "Yesterday", "Previous 7 days", then the
 * month ("October 2026"). Calendar days in the reader's time zone; a time in the future
 * (a clock ahead of ours) counts as today.
 */
export function dateGroup(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return i18n.t('time.older');
  const days = Math.round((startOfDay(now) - startOfDay(then)) / 86_400_000);
  if (days <= 0) return i18n.t('time.today');
  if (days === 1) return i18n.t('time.yesterday');
  if (days <= 7) return i18n.t('time.previous7');
  return capitalised(monthFormat().format(then));
}

/** Consecutive runs of items in the same date group, in the items' order. */
export function groupByDate<T>(
  items: T[],
  timeOf: (item: T) => string,
  now: Date = new Date(),
): { label: string; items: T[] }[] {
  const groups: { label: string; items: T[] }[] = [];
  for (const item of items) {
    const label = dateGroup(timeOf(item), now);
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.items.push(item);
    else groups.push({ label, items: [item] });
  }
  return groups;
}
