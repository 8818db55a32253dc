/**
 * One place that turns an error into words for the user. Every component calls
 * `describeError`; nothing else reads `ApiError.detail` for display. What it returns
 * completes "Couldn’t do X: …" (no final full stop), except for the log-in forms and
 * the composer, whose texts stand alone.
 */
import { ApiError, NetworkError, type ValidationIssue } from './api';

/** What the user was doing, when that changes the wording (registration, import, ...). */
export type ErrorContext = 'generic' | 'register' | 'login' | 'import' | 'message' | 'account';

export interface DescribeOptions {
  context?: ErrorContext;
  /** The longest message the server takes (contract 1, `max_message_chars`). */
  maxMessageChars?: number;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** A field named by a validation issue: its last `loc` part (`body.password` -> `password`). */
export function fieldOf(issue: ValidationIssue): string {
  const loc = issue.loc ?? [];
  return String(loc[loc.length - 1] ?? '');
}

/** Registration rules (contract 4), said as a person would say them. */
function accountIssue(issue: ValidationIssue): string {
  const field = fieldOf(issue);
  if (field === 'username') {
    return 'Choose a username of 3 to 64 letters, digits, dots, dashes or underscores.';
  }
  if (field === 'password') return 'Choose a password of at least 8 characters.';
  return issue.msg;
}

function fromApiError(err: ApiError, { context = 'generic', maxMessageChars }: DescribeOptions): string {
  if (err.status === 429 && err.retryAfter) {
    return `Too many attempts. Please try again in ${formatWait(err.retryAfter)}.`;
  }
  if (context === 'register' || context === 'login') {
    if (Array.isArray(err.detail)) return [...new Set(err.detail.map(accountIssue))].join(' ');
    if (err.status === 409) return 'That username is taken. Please choose another one.';
    if (err.status === 401) return 'That username and password don’t match. Please try again.';
  }
  if (context === 'account') {
    if (err.status === 403) return 'the password is not right';
    if (Array.isArray(err.detail)) return [...new Set(err.detail.map(accountIssue))].join(' ').replace(/\.$/, '');
  }
  if (context === 'message' && err.status === 413) {
    const stated = typeof err.detail === 'string' ? /limit is (\d+)/.exec(err.detail) : null;
    const limit = stated ? Number(stated[1]) : maxMessageChars;
    const most = limit ? ` (at most ${limit.toLocaleString()} characters)` : '';
    return `This message is too long${most}. Shorten it or send it in parts; your text is back in the box.`;
  }
  if (context === 'import') {
    if (err.status === 413) return 'the file is too large to import (at most 256 MB)';
    if (err.status === 422) {
      return 'it is not a chat export Cora can read. Choose a Cora export, or conversations.json from a ChatGPT data export';
    }
  }
  if (err.status === 409 && typeof err.detail === 'string') return err.detail;
  return err.message;
}

/** A sentence for the user, whatever was thrown. */
export function describeError(err: unknown, options: DescribeOptions = {}): string {
  if (err instanceof NetworkError) {
    return options.context === 'register' || options.context === 'login'
      ? 'Cora’s server cannot be reached. Please try again in a moment.'
      : 'the server cannot be reached';
  }
  if (err instanceof ApiError) return fromApiError(err, options);
  if (err instanceof Error && err.message) return err.message;
  return 'something went wrong';
}
