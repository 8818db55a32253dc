import { useLayoutEffect, useRef } from 'react';
import type { Sender } from '../api';
import { formatFull, formatMessageTime } from '../time';
import { CoraAvatar, UserAvatar } from './Avatar';
import { Markdown } from './Markdown';

export type MessageStatus =
  | 'sent' // stored on the server
  | 'sending' // on its way, not yet confirmed
  | 'failed' // not stored: can be retried
  | 'streaming' // Cora's reply arriving
  | 'stopped' // reply stopped by the user
  | 'interrupted' // connection lost during the reply (the server keeps the reply)
  | 'error'; // Cora could not answer

export interface UiMessage {
  key: string;
  id?: string;
  sender: Sender;
  text: string;
  timestamp?: string;
  status: MessageStatus;
  error?: string;
}

export const GREETING =
  'Hi, I’m **Cora**, your insurance assistant. I can help you file a claim, explain your ' +
  'coverage and deductible, or make changes to your policy. What can I do for you today?';

export const STARTER_PROMPTS = ['File a claim', 'Understand my deductible', 'Change my policy'];

export interface MessageListProps {
  messages: UiMessage[];
  userName: string;
  busy: boolean;
  onRetry: (key: string) => void;
  onStarter: (text: string) => void;
  startersDisabled: boolean;
}

export function MessageList({
  messages,
  userName,
  busy,
  onRetry,
  onStarter,
  startersDisabled,
}: MessageListProps) {
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const last = messages[messages.length - 1];
  const lastText = last ? `${last.key}:${last.text.length}:${last.status}` : '';

  // Follow the newest message, unless the reader scrolled up to read older ones;
  // sending a message always brings the view back down.
  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el) return;
    if (last?.sender === 'user' && last.status === 'sending') stickToBottom.current = true;
    if (stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [lastText, messages.length, last?.sender, last?.status]);

  function onScroll() {
    const el = logRef.current;
    if (!el) return;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }

  return (
    <div
      className="message-log"
      role="log"
      aria-label="Conversation with Cora"
      aria-busy={busy}
      ref={logRef}
      onScroll={onScroll}
      tabIndex={0}
    >
      <div className="message-column">
        <article className="message message-assistant message-greeting" aria-label="Cora says">
          <CoraAvatar size={32} />
          <div className="bubble">
            <Markdown text={GREETING} />
          </div>
        </article>
        {messages.length === 0 && (
          <div className="starters" role="group" aria-label="Suggested questions">
            {STARTER_PROMPTS.map((prompt) => (
              <button
                key={prompt}
                type="button"
                className="starter"
                disabled={startersDisabled}
                onClick={() => onStarter(prompt)}
              >
                {prompt}
              </button>
            ))}
          </div>
        )}
        {messages.map((message) => (
          <MessageItem key={message.key} message={message} userName={userName} onRetry={onRetry} />
        ))}
      </div>
    </div>
  );
}

function MessageItem({
  message,
  userName,
  onRetry,
}: {
  message: UiMessage;
  userName: string;
  onRetry: (key: string) => void;
}) {
  const fromUser = message.sender === 'user';
  const who = fromUser ? 'You' : message.sender === 'assistant' ? 'Cora' : 'System';
  const classes = [
    'message',
    fromUser ? 'message-user' : message.sender === 'assistant' ? 'message-assistant' : 'message-system',
    `status-${message.status}`,
  ].join(' ');

  return (
    <article className={classes} aria-label={`${who} says`}>
      {fromUser ? <UserAvatar name={userName} /> : <CoraAvatar size={32} />}
      <div className="bubble-wrap">
        <div className="bubble">
          {message.status === 'streaming' && message.text === '' ? (
            <span className="typing" aria-label="Cora is typing">
              <span />
              <span />
              <span />
            </span>
          ) : (
            <Markdown text={message.text} />
          )}
        </div>
        <MessageFooter message={message} onRetry={onRetry} />
      </div>
    </article>
  );
}

function MessageFooter({ message, onRetry }: { message: UiMessage; onRetry: (key: string) => void }) {
  switch (message.status) {
    case 'sending':
      return <p className="message-meta">Sending…</p>;
    case 'failed':
      return (
        <div className="message-meta message-problem" role="alert">
          <span>Not sent{message.error ? `: ${message.error}` : ''}.</span>
          <button type="button" className="button button-small" onClick={() => onRetry(message.key)}>
            Retry
          </button>
        </div>
      );
    case 'stopped':
      return <p className="message-meta">You stopped this reply.</p>;
    case 'interrupted':
      return (
        <p className="message-meta message-problem" role="alert">
          The connection was lost while Cora was replying. The full reply will appear when
          you’re back online.
        </p>
      );
    case 'error':
      return (
        <p className="message-meta message-problem" role="alert">
          Cora couldn’t answer{message.error ? `: ${message.error}` : ''}. Your message was saved;
          you can ask again.
        </p>
      );
    default:
      return message.timestamp ? (
        <p className="message-meta">
          <time dateTime={message.timestamp} title={formatFull(message.timestamp)}>
            {formatMessageTime(message.timestamp)}
          </time>
        </p>
      ) : null;
  }
}
