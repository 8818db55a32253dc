import type { ReactNode } from 'react';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The search's phrase and its words, longest first, as one case-insensitive pattern. */
function pattern(query: string): RegExp | null {
  const phrase = query.trim().replace(/\s+/g, ' ');
  if (!phrase) return null;
  const terms = [...new Set([phrase, ...phrase.split(' ')])]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  return new RegExp(`(${terms.join('|')})`, 'gi');
}

/**
 * `text` with the searched words in `<mark>`. Built from React text nodes only, so
 * whatever the text holds (`<img onerror=...>`, entities) shows as text and runs nothing.
 */
export function Highlight({ text, query }: { text: string; query: string }): ReactNode {
  const re = pattern(query);
  if (!re) return text;
  const parts = text.split(re);
  return parts.map((part, index) =>
    index % 2 === 1 ? <mark key={index}>{part}</mark> : part,
  );
}
