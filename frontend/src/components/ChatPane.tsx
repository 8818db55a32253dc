import type { Thread } from '../hooks/useThreads';
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
  if (!thread) {
    return startError ? (
      <div className="pane-message" role="alert">
        <p>{startError}</p>
        <button type="button" className="button button-primary" onClick={onStartAgain}>
          Try again
        </button>
      </div>
    ) : (
      <div className="pane-message" role="status">
        <CoraAvatar size={40} />
        <p>Loading your conversation…</p>
      </div>
    );
  }
  if (!thread.loaded && thread.notFound) {
    return (
      <div className="pane-message" role="alert">
        <h2>Chat not found</h2>
        <p>This chat doesn’t exist: it may have been deleted, or it belongs to another account.</p>
        <button type="button" className="button button-primary" onClick={onNewChat}>
          Start a new chat
        </button>
      </div>
    );
  }
  if (!thread.loaded && thread.error) {
    return (
      <div className="pane-message" role="alert">
        <p>Couldn’t load this conversation: {thread.error}.</p>
        <button type="button" className="button button-primary" onClick={onReload}>
          Try again
        </button>
      </div>
    );
  }
  if (!thread.loaded) {
    return (
      <div className="pane-message" role="status">
        <CoraAvatar size={40} />
        <p>Loading messages…</p>
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
