/**
 * One place that turns an error into words for the user. Every component calls
 * `describeError`; nothing else reads `ApiError.detail` for display. What it returns
 * completes "Couldn’t do X: …" (no final full stop), except for the log-in forms and
 * the composer, whose texts stand alone.
 */
import { ApiError, NetworkError, type ValidationIssue } from './api';
import { currentLanguage, i18n } from './i18n';

const t = i18n.t.bind(i18n);

/** What the user was doing, when that changes the wording (registration, import, ...). */
export type ErrorContext = 'generic' | 'register' | 'login' | 'import' | 'message' | 'account';

export interface DescribeOptions {
  context?: ErrorContext;
  /** The longest message the server takes (contract 1, `max_message_chars`). */
  maxMessageChars?: number;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return t('errors.waitSeconds', { count: seconds });
  return t('errors.waitMinutes', { count: Math.ceil(seconds / 60) });
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
    return t('errors.usernameRule');
  }
  if (field === 'password') return t('errors.passwordRule');
  return issue.msg;
}

function fromApiError(err: ApiError, { context = 'generic', maxMessageChars }: DescribeOptions): string {
  if (err.status === 429 && err.retryAfter) {
    return t('errors.tooManyAttempts', { wait: formatWait(err.retryAfter) });
  }
  if (context === 'register' || context === 'login') {
    if (Array.isArray(err.detail)) return [...new Set(err.detail.map(accountIssue))].join(' ');
    if (err.status === 409) return t('errors.usernameTaken');
    if (err.status === 401) return t('errors.wrongLogin');
  }
  if (context === 'account') {
    if (err.status === 403) return t('errors.wrongPassword');
    if (Array.isArray(err.detail)) return [...new Set(err.detail.map(accountIssue))].join(' ').replace(/\.$/, '');
  }
  if (context === 'message' && err.status === 413) {
    const stated = typeof err.detail === 'string' ? /limit is (\d+)/.exec(err.detail) : null;
    const limit = stated ? Number(stated[1]) : maxMessageChars;
    const most = limit ? t('errors.tooLongMost', { limit: limit.toLocaleString(currentLanguage()) }) : '';
    return t('errors.tooLong', { most });
  }
  if (context === 'import') {
    if (err.status === 413) return t('errors.importTooLarge');
    if (err.status === 422) {
      return t('errors.importUnreadable');
    }
  }
  if (err.status === 409 && typeof err.detail === 'string') return err.detail;
  return err.message;
}

/** A sentence for the user, whatever was thrown. */
export function describeError(err: unknown, options: DescribeOptions = {}): string {
  if (err instanceof NetworkError) {
    return options.context === 'register' || options.context === 'login'
      ? t('errors.serverUnreachableLogin')
      : t('errors.serverUnreachable');
  }
  if (err instanceof ApiError) return fromApiError(err, options);
  if (err instanceof Error && err.message) return err.message;
  return t('errors.somethingWrong');
}
