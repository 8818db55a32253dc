import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Feedback, Sender } from '../api';
import { formatFull, formatMessageTime } from '../time';
import { CoraAvatar, UserAvatar } from './Avatar';
import { formatted, Markdown } from './Markdown';
import { FeedbackButtons } from './message/FeedbackButtons';
import { PromptChips } from './ui/PromptChips';

export type MessageStatus =
  | 'sent' // stored on the server
  | 'sending' // on its way, not yet confirmed
  | 'failed' // not stored: can be retried
  | 'streaming' // Cora's reply arriving
  | 'stopping' // the user asked to stop; waiting for the server to store the text so far
  | 'stopped' // reply stopped by the user, nothing (more) stored
  | 'interrupted' // connection lost during the reply (the server keeps the reply)
  | 'error'; // Cora could not answer

export interface UiMessage {
  /** React key: the message id, or the client-made id of a message not yet stored. */
  key: string;
  /** The stored message's id (set once the server has it). */
  id?: string;
  sender: Sender;
  text: string;
  timestamp?: string;
  status: MessageStatus;
  error?: string;
  /** A reply the user stopped (`metadata.stopped` of a stored one). */
  stopped?: boolean;
  /** A stored reply that did not end complete: its writer stopped, or the assistant failed. */
  ended?: 'interrupted' | 'failed';
  /** The user's rating of a stored assistant reply (3.10). */
  feedback?: Feedback | null;
  /** Questions Cora offers to answer next (`metadata.suggestions`): the closest topics when it
   * is not sure what was meant, or a second question the message asked. */
  suggestions?: string[];
  /** A reply in which Cora declined to answer (`metadata.fallback`): it offers a person too. */
  declined?: boolean;
}

const STARTER_PROMPTS = ['messages.starterClaim', 'messages.starterDeductible', 'messages.starterPolicy'] as const;

export interface MessageListProps {
  messages: UiMessage[];
  userName: string;
  busy: boolean;
  onRetry: (key: string) => void;
  /** Ask for a new reply to the last question (offered under a last reply that did not end complete). */
  onRegenerate?: () => void;
  onStarter: (text: string) => void;
  startersDisabled: boolean;
  /** There are older messages on the server than the first one shown. */
  hasOlder?: boolean;
  loadingOlder?: boolean;
  olderError?: string | null;
  onLoadOlder?: () => void;
}

/** Ask for older messages when the reader is within this many pixels of the top. */
const NEAR_TOP_PX = 300;

export function MessageList({
  messages,
  userName,
  busy,
  onRetry,
  onRegenerate,
  onStarter,
  startersDisabled,
  hasOlder = false,
  loadingOlder = false,
  olderError = null,
  onLoadOlder,
}: MessageListProps) {
  const { t } = useTranslation();
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const last = messages[messages.length - 1];
  const lastText = last ? `${last.key}:${last.text.length}:${last.status}` : '';
  const firstKey = messages[0]?.key ?? '';
  /** The first message and the scroll height before the latest render: to keep the place. */
  const before = useRef<{ firstKey: string; scrollHeight: number; scrollTop: number } | null>(null);

  // Older messages were put above: keep what the reader was looking at where it was.
  useLayoutEffect(() => {
    const el = logRef.current;
    const previous = before.current;
    if (el && previous && previous.firstKey !== firstKey && previous.firstKey !== '') {
      const stillThere = messages.some((m) => m.key === previous.firstKey);
      if (stillThere && !stickToBottom.current) {
        el.scrollTop = previous.scrollTop + (el.scrollHeight - previous.scrollHeight);
      }
    }
  }, [firstKey, messages]);

  // Sending a message brings the view back down (its reply comes in the same render, so the
  // message being sent is not always the last one).
  const sendingKey = latestSending(messages);
  useLayoutEffect(() => {
    if (sendingKey) stickToBottom.current = true;
  }, [sendingKey]);

  // Follow the newest message, unless the reader scrolled up to read older ones.
  useLayoutEffect(() => {
    const el = logRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [lastText, messages.length, sendingKey]);

  // Remember the place after every render, for the next prepend.
  useLayoutEffect(() => {
    const el = logRef.current;
    if (el) before.current = { firstKey, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
  });

  const maybeLoadOlder = useCallback(() => {
    const el = logRef.current;
    if (!el || !hasOlder || loadingOlder || olderError || !onLoadOlder) return;
    if (el.scrollTop <= NEAR_TOP_PX) onLoadOlder();
  }, [hasOlder, loadingOlder, olderError, onLoadOlder]);

  // A short page on a tall screen cannot be scrolled: load until it can (or all is shown).
  useEffect(() => {
    const el = logRef.current;
    if (!el || el.clientHeight === 0) return;
    if (el.scrollHeight <= el.clientHeight + NEAR_TOP_PX) maybeLoadOlder();
  }, [messages.length, maybeLoadOlder]);

  function onScroll() {
    const el = logRef.current;
    if (!el) return;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    before.current = { firstKey, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
    maybeLoadOlder();
  }

  return (
    <div
      className="message-log"
      role="log"
      aria-label={t('messages.log')}
      aria-busy={busy}
      ref={logRef}
      onScroll={onScroll}
      tabIndex={0}
    >
      <div className="message-column">
        {hasOlder || loadingOlder || olderError ? (
          <div className="older">
            {loadingOlder ? (
              <p className="older-status" role="status">
                {t('messages.loadingOlder')}
              </p>
            ) : olderError ? (
              <div className="message-meta message-problem" role="alert">
                <span>{t('messages.olderFailed', { reason: olderError })}</span>
                <button type="button" className="button button-small" onClick={onLoadOlder}>
                  {t('messages.retry')}
                </button>
              </div>
            ) : (
              <button type="button" className="link-button" onClick={onLoadOlder}>
                {t('messages.showOlder')}
              </button>
            )}
          </div>
        ) : (
          <article className="message message-assistant message-greeting" aria-label={t('messages.says', { who: t('messages.cora') })}>
            <CoraAvatar size={32} />
            <div className="bubble">
              <div className="markdown">
                <p>
                  <Trans i18nKey="messages.greeting" components={{ strong: <strong /> }} />
                </p>
              </div>
            </div>
          </article>
        )}
        {messages.length === 0 && !hasOlder && (
          <PromptChips
            label={t('messages.starters')}
            prompts={STARTER_PROMPTS.map((key) => t(key))}
            disabled={startersDisabled}
            onPick={onStarter}
          />
        )}
        {messages.map((message) => (
          <MessageItem
            key={message.key}
            message={message}
            userName={userName}
            onRetry={onRetry}
            onRegenerate={message === last && !busy && canRegenerate(message) ? onRegenerate : undefined}
            onSuggestion={message === last && !busy && !startersDisabled ? onStarter : undefined}
          />
        ))}
      </div>
    </div>
  );
}

function canRegenerate(message: UiMessage): boolean {
  return (
    message.sender === 'assistant' &&
    (message.ended !== undefined || message.stopped === true || message.status === 'error' ||
      message.status === 'stopped' || message.status === 'interrupted')
  );
}

/** One message; re-rendered only when it changes (a streaming reply does not redraw the rest). */
const MessageItem = memo(function MessageItem({
  message,
  userName,
  onRetry,
  onRegenerate,
  onSuggestion,
}: {
  message: UiMessage;
  userName: string;
  onRetry: (key: string) => void;
  onRegenerate?: () => void;
  /** Send one of the reply's suggested questions or the hand-off (offered under the last reply only). */
  onSuggestion?: (text: string) => void;
}) {
  const { t } = useTranslation();
  const fromUser = message.sender === 'user';
  const bubbleRef = useRef<HTMLDivElement>(null);
  const nextPrompts = [...(message.suggestions ?? []), ...(message.declined ? [t('messages.talkToPerson')] : [])];
  const who = t(fromUser ? 'messages.you' : message.sender === 'assistant' ? 'messages.cora' : 'messages.system');
  const classes = [
    'message',
    fromUser ? 'message-user' : message.sender === 'assistant' ? 'message-assistant' : 'message-system',
    `status-${message.status}`,
  ].join(' ');

  return (
    <article className={classes} aria-label={t('messages.says', { who })}>
      {fromUser ? <UserAvatar name={userName} /> : <CoraAvatar size={32} />}
      <div className="bubble-wrap">
        <div className="bubble" ref={bubbleRef}>
          {(message.status === 'streaming' || message.status === 'stopping') && message.text === '' ? (
            <span className="typing" aria-label={t('messages.typing')}>
              <span />
              <span />
              <span />
            </span>
          ) : (
            <>
              {fromUser ? <p className="user-text">{message.text}</p> : <Markdown text={message.text} />}
              {message.status === 'streaming' && (
                <span className="typing typing-inline" aria-label={t('messages.typing')}>
                  <span />
                  <span />
                  <span />
                </span>
              )}
            </>
          )}
        </div>
        <MessageFooter message={message} onRetry={onRetry} />
        {onRegenerate && (
          <div className="message-actions">
            <button type="button" className="button button-small" onClick={onRegenerate}>
              {t('messages.regenerate')}
            </button>
          </div>
        )}
        {message.status === 'sent' && message.text && (
          <CopyButtons markdown={message.text} plain={() => textAsShown(bubbleRef.current, message.text)} />
        )}
        {message.status === 'sent' && message.sender === 'assistant' && message.id && (
          <FeedbackButtons messageId={message.id} stored={message.feedback ?? null} />
        )}
        {onSuggestion && message.status === 'sent' && nextPrompts.length ? (
          <PromptChips
            label={t('messages.suggestions')}
            prompts={nextPrompts}
            onPick={onSuggestion}
            className="prompt-chips-under-reply"
          />
        ) : null}
      </div>
    </article>
  );
});

function MessageFooter({ message, onRetry }: { message: UiMessage; onRetry: (key: string) => void }) {
  const { t } = useTranslation();
  switch (message.status) {
    case 'sending':
      return <p className="message-meta">{t('messages.sending')}</p>;
    case 'failed':
      return (
        <div className="message-meta message-problem" role="alert">
          <span>{message.error ? t('messages.notSentBecause', { reason: message.error }) : t('messages.notSent')}</span>
          <button type="button" className="button button-small" onClick={() => onRetry(message.key)}>
            {t('messages.retry')}
          </button>
        </div>
      );
    case 'stopping':
      return <p className="message-meta">{t('messages.stopping')}</p>;
    case 'stopped':
      return (
        <p className="message-meta message-stopped">
          {message.text ? t('messages.youStopped') : t('messages.youStoppedEarly')}
        </p>
      );
    case 'interrupted':
      return (
        <p className="message-meta message-problem" role="alert">
          {t('messages.interrupted')}
        </p>
      );
    case 'error':
      return (
        <p className="message-meta message-problem" role="alert">
          {message.error
            ? t('messages.couldNotAnswerBecause', { reason: message.error })
            : t('messages.couldNotAnswer')}
        </p>
      );
    default:
      if (message.ended) {
        return (
          <p className="message-meta message-problem">
            {message.ended === 'interrupted'
              ? t('messages.endedInterrupted')
              : t('messages.endedFailed')}
          </p>
        );
      }
      return message.timestamp || message.stopped ? (
        <p className={`message-meta${message.stopped ? ' message-stopped' : ''}`}>
          {message.timestamp && (
            <time dateTime={message.timestamp} title={formatFull(message.timestamp)}>
              {formatMessageTime(message.timestamp)}
            </time>
          )}
          {message.stopped && (
            <span>{message.timestamp ? ' · ' : ''}{t('messages.youStopped')}</span>
          )}
        </p>
      ) : null;
  }
}

/** The key of the newest user message on its way to the server, if any. */
function latestSending(messages: UiMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.sender === 'user' && message.status === 'sending') return message.key;
  }
  return undefined;
}

/** The message as it reads on screen, once its Markdown is shown formatted. */
async function textAsShown(bubble: HTMLElement | null, source: string): Promise<string> {
  if (!bubble) return source;
  await formatted(bubble);
  return bubble.innerText || bubble.textContent || source;
}

/** Copy a message as it was written (Markdown) or as it reads (plain text). */
function CopyButtons({ markdown, plain }: { markdown: string; plain: () => Promise<string> }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (what: string, text: string | Promise<string>) => {
    try {
      await navigator.clipboard.writeText(await text);
      setCopied(what);
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="message-actions">
      <button type="button" className="button button-small button-quiet" onClick={() => void copy('markdown', markdown)}>
        {t('messages.copy')}
      </button>
      <button type="button" className="button button-small button-quiet" onClick={() => void copy('plain', plain())}>
        {t('messages.copyText')}
      </button>
      <span role="status" className="copy-status">
        {copied === 'failed' ? t('messages.copyFailed') : copied ? t('messages.copied') : ''}
      </span>
    </div>
  );
}
