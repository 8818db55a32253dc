import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { setFeedback, type Feedback } from '../../api';
import { describeError } from '../../errors';
import { ThumbIcon } from '../ui/ThumbIcon';
import { useFeedbackTarget } from './FeedbackContext';

type Rating = Feedback['rating'];
const MAX_COMMENT = 2000;

/**
 * Thumbs up or down on one of Cora's replies, with an optional comment (contract 3.10).
 * Pressing the chosen thumb again clears the rating. `stored` is the rating as the chat last
 * read it: a rating given in another tab arrives there (a `message` event) and is shown.
 */
export function FeedbackButtons({ messageId, stored }: { messageId: string; stored: Feedback | null }) {
  const { t } = useTranslation();
  const target = useFeedbackTarget();
  const [saved, setSaved] = useState<Feedback | null>(stored);
  const [lastStored, setLastStored] = useState<Feedback | null>(stored);
  if (!sameFeedback(stored, lastStored)) {
    setLastStored(stored);
    setSaved(stored);
  }
  const [draft, setDraft] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const commentId = useId();
  const commentBox = useRef<HTMLTextAreaElement>(null);
  const writing = draft !== null;
  // The comment box opens ready to type in (focusing it scrolls it into view).
  useEffect(() => {
    if (writing) commentBox.current?.focus();
  }, [writing]);
  if (!target) return null;
  const { userId, sessionId } = target;

  async function save(feedback: Feedback | null) {
    setBusy(true);
    setStatus('');
    try {
      const message = await setFeedback(userId, sessionId, messageId, feedback);
      setSaved(message.feedback ?? null);
      setDraft(null);
      setStatus(feedback ? t('misc.feedbackThanks') : t('misc.feedbackRemoved'));
    } catch (err) {
      setStatus(t('misc.feedbackFailed', { reason: describeError(err) }));
    } finally {
      setBusy(false);
    }
  }

  function choose(rating: Rating) {
    void save(saved?.rating === rating ? null : { rating });
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const rating = saved?.rating;
    if (!rating) return;
    const text = comment.trim();
    void save(text ? { rating, comment: text } : { rating });
  }

  function onFormKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    setDraft(null);
  }

  const current = saved?.rating ?? null;
  return (
    <div className="feedback" role="group" aria-label={t('misc.rateReply')}>
      <button
        type="button"
        className="button button-small button-quiet feedback-button"
        aria-pressed={current === 'up'}
        aria-label={t('misc.goodReply')}
        disabled={busy}
        onClick={() => choose('up')}
      >
        <ThumbIcon direction="up" />
      </button>
      <button
        type="button"
        className="button button-small button-quiet feedback-button"
        aria-pressed={current === 'down'}
        aria-label={t('misc.badReply')}
        disabled={busy}
        onClick={() => choose('down')}
      >
        <ThumbIcon direction="down" />
      </button>
      {saved && !saved.comment && draft === null && (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setComment('');
            setDraft(saved.rating);
          }}
        >
          {t('misc.addComment')}
        </button>
      )}
      {saved?.comment && draft === null && <span className="feedback-comment">“{saved.comment}”</span>}
      {draft !== null && saved && (
        <form className="feedback-form" onSubmit={onSubmit} onKeyDown={onFormKeyDown}>
          <label htmlFor={commentId}>{t('misc.comment')}</label>
          <textarea
            ref={commentBox}
            id={commentId}
            value={comment}
            maxLength={MAX_COMMENT}
            rows={2}
            onChange={(event) => setComment(event.target.value)}
          />
          <button type="submit" className="button button-small" disabled={busy}>
            {t('misc.sendComment')}
          </button>
          <button type="button" className="button button-small button-quiet" onClick={() => setDraft(null)}>
            {t('misc.cancel')}
          </button>
        </form>
      )}
      <span aria-live="polite" className="copy-status">
        {status}
      </span>
    </div>
  );
}

function sameFeedback(a: Feedback | null, b: Feedback | null): boolean {
  return a?.rating === b?.rating && (a?.comment ?? null) === (b?.comment ?? null);
}
