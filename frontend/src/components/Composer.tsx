import { forwardRef, useState, type FormEvent, type KeyboardEvent } from 'react';

export interface ComposerProps {
  onSend: (text: string) => void;
  onStop: () => void;
  streaming: boolean;
  /** Stop was pressed; the server is storing the reply so far. */
  stopping?: boolean;
  disabled: boolean;
}

export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  { onSend, onStop, streaming, stopping = false, disabled },
  ref,
) {
  const [text, setText] = useState('');
  const canSend = !disabled && !streaming && text.trim().length > 0;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="composer-input" className="visually-hidden">
        Message Cora
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={1}
        value={text}
        placeholder="Message Cora…"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby="composer-hint"
        disabled={disabled}
      />
      <p id="composer-hint" className="visually-hidden">
        Enter sends, Shift+Enter starts a new line.
      </p>
      {streaming ? (
        <button type="button" className="button button-stop" onClick={onStop} disabled={stopping}>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor" />
          </svg>
          {stopping ? 'Stopping…' : 'Stop reply'}
        </button>
      ) : (
        <button type="submit" className="button button-primary" disabled={!canSend}>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <path d="M3 11.5 20 4l-7.5 17-2-7.5z" fill="currentColor" />
          </svg>
          Send
        </button>
      )}
    </form>
  );
});
