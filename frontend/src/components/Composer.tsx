import { forwardRef, useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loadDraft, saveDraft } from '../drafts';

export interface ComposerProps {
  onSend: (text: string) => void;
  onStop: () => void;
  streaming: boolean;
  /** Stop was pressed; the server is storing the reply so far. */
  stopping?: boolean;
  disabled: boolean;
  /** Whose draft this is: the text typed is kept per chat (`drafts.ts`). */
  userId?: string;
  sessionId?: string | null;
  /** Text given back to the box (a message the server refused), with why. */
  returned?: { text: string; reason: string } | null;
}

export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  { onSend, onStop, streaming, stopping = false, disabled, userId, sessionId, returned = null },
  ref,
) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => (userId && sessionId ? loadDraft(userId, sessionId) : ''));
  const [notice, setNotice] = useState<string | null>(null);
  const canSend = !disabled && !streaming && text.trim().length > 0;

  // A refused message comes back into the box, and the reason is said next to it.
  useEffect(() => {
    if (!returned) return;
    setText(returned.text);
    setNotice(returned.reason);
  }, [returned]);

  function change(value: string) {
    setText(value);
    if (userId && sessionId) saveDraft(userId, sessionId, value);
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text);
    setNotice(null);
    change('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      {notice && (
        <p className="composer-notice" role="alert" id="composer-notice">
          {notice}
        </p>
      )}
      <label htmlFor="composer-input" className="visually-hidden">
        {t('composer.label')}
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={1}
        value={text}
        placeholder={t('composer.placeholder')}
        onChange={(e) => change(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={notice ? 'composer-notice composer-hint' : 'composer-hint'}
        disabled={disabled}
      />
      <p id="composer-hint" className="visually-hidden">
        {t('composer.hint')}
      </p>
      {streaming ? (
        <button
          type="button"
          className="button button-stop"
          onClick={(event) => {
            onStop();
            // The Stop button is about to go: keep focus in the box, not on the page.
            event.currentTarget.form?.querySelector('textarea')?.focus();
          }}
          disabled={stopping}
        >
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor" />
          </svg>
          {stopping ? t('composer.stopping') : t('composer.stop')}
        </button>
      ) : (
        <button type="submit" className="button button-primary" disabled={!canSend}>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <path d="M3 11.5 20 4l-7.5 17-2-7.5z" fill="currentColor" />
          </svg>
          {t('composer.send')}
        </button>
      )}
    </form>
  );
});
