import type { Thread } from '../hooks/useThreads';
import { useTranslation } from 'react-i18next';
import { CoraAvatar } from './Avatar';
import { MessageList, type MessageListProps } from './MessageList';
import { FeedbackContext, type FeedbackTarget } from './message/FeedbackContext';

export interface ChatPaneProps extends Omit<MessageListProps, 'messages' | 'hasOlder' | 'loadingOlder' | 'olderError'> {
  /** The open chat's conversation; null before one is open. */
  thread: Thread | null;
  sessionId: string | null;
  /** Where the feedback buttons send a rating (memoised by the caller). */
  feedbackTarget: FeedbackTarget | null;
  /** Why no chat could be opened at the start. */
  startError: string | null;
  onStartAgain: () => void;
  onNewChat: () => void;
  onReload: () => void;
}

/** The conversation, or what stands in for it: loading, not found, an error with Try again. */
export function ChatPane({
  thread,
  sessionId,
  feedbackTarget,
  startError,
  onStartAgain,
  onNewChat,
  onReload,
  ...listProps
}: ChatPaneProps) {
  const { t } = useTranslation();
  if (!thread) {
    return startError ? (
      <div className="pane-message" role="alert">
        <p>{startError}</p>
        <button type="button" className="button button-primary" onClick={onStartAgain}>
          {t('common.tryAgain')}
        </button>
      </div>
    ) : (
      <div className="pane-message" role="status">
        <CoraAvatar size={40} />
        <p>{t('chatPane.loadingConversation')}</p>
      </div>
    );
  }
  if (!thread.loaded && thread.notFound) {
    return (
      <div className="pane-message" role="alert">
        <h2>{t('chatPane.notFoundTitle')}</h2>
        <p>{t('chatPane.notFoundText')}</p>
        <button type="button" className="button button-primary" onClick={onNewChat}>
          {t('chatPane.startNew')}
        </button>
      </div>
    );
  }
  if (!thread.loaded && thread.error) {
    return (
      <div className="pane-message" role="alert">
        <p>{t('chatPane.couldNotLoad', { reason: thread.error })}</p>
        <button type="button" className="button button-primary" onClick={onReload}>
          {t('common.tryAgain')}
        </button>
      </div>
    );
  }
  if (!thread.loaded) {
    return (
      <div className="pane-message" role="status">
        <CoraAvatar size={40} />
        <p>{t('chatPane.loadingMessages')}</p>
      </div>
    );
  }
  return (
    <FeedbackContext.Provider value={feedbackTarget}>
      <MessageList
        key={sessionId}
        messages={thread.messages}
        hasOlder={thread.hasOlder}
        loadingOlder={thread.loadingOlder}
        olderError={thread.olderError}
        {...listProps}
      />
    </FeedbackContext.Provider>
  );
}
