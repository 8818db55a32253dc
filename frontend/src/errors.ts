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

/** The statuses of the contract (1), each with its words in the catalogue. */
function fromStatus(err: ApiError, context: ErrorContext): string {
  const { status } = err;
  if (status === 401) return t('errors.status401');
  if (status === 403) return t('errors.status403');
  if (status === 404) return t('errors.status404');
  if (status === 409) return context === 'message' ? t('errors.status409Reply') : t('errors.status409');
  if (status === 412) return t('errors.status409');
  if (status === 413) return t('errors.status413');
  if (status === 422) return t('errors.status422');
  if (status === 429) {
    return err.retryAfter ? t('errors.status429Wait', { wait: formatWait(err.retryAfter) }) : t('errors.status429');
  }
  if (status === 502) return t('errors.status502');
  if (status === 503) return t('errors.status503');
  if (status === 507) return t('errors.status507');
  if (status >= 500) return t('errors.status500');
  // A status the contract does not name: the server's own words if it gave some.
  if (typeof err.detail === 'string' && err.detail.trim()) return err.detail;
  return t('errors.statusOther', { status });
}

/** A fragment made a sentence of its own (the log-in forms show errors alone). */
function sentence(text: string): string {
  const capital = text.charAt(0).toLocaleUpperCase(currentLanguage()) + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function fromApiError(err: ApiError, { context = 'generic', maxMessageChars }: DescribeOptions): string {
  if (err.status === 429 && err.retryAfter && (context === 'login' || context === 'register')) {
    return t('errors.tooManyAttempts', { wait: formatWait(err.retryAfter) });
  }
  if (context === 'register' || context === 'login') {
    if (Array.isArray(err.detail)) return [...new Set(err.detail.map(accountIssue))].join(' ');
    if (err.status === 409) return t('errors.usernameTaken');
    if (err.status === 401) return t('errors.wrongLogin');
    return sentence(fromStatus(err, context));
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
  return fromStatus(err, context);
}

const NETWORK_WORDS = {
  unreachable: 'errors.serverUnreachable',
  answerBroke: 'errors.answerBroke',
  replyBroke: 'errors.replyBroke',
  replyEndedEarly: 'errors.replyEndedEarly',
} as const;

/**
 * A sentence for the user, whatever was thrown: known statuses and network failures in the
 * catalogue's words (the server's `detail` is English and for developers), in the language in use.
 */
export function describeError(err: unknown, options: DescribeOptions = {}): string {
  if (err instanceof NetworkError) {
    return options.context === 'register' || options.context === 'login'
      ? t('errors.serverUnreachableLogin')
      : t(NETWORK_WORDS[err.failure]);
  }
  if (err instanceof ApiError) return fromApiError(err, options);
  if (err instanceof Error && err.message) return err.message;
  return t('errors.somethingWrong');
}
