import { createContext, useContext } from 'react';

/** Which chat the messages on screen belong to, for the feedback buttons (3.10). */
export interface FeedbackTarget {
  userId: string;
  sessionId: string;
}

export const FeedbackContext = createContext<FeedbackTarget | null>(null);

export function useFeedbackTarget(): FeedbackTarget | null {
  return useContext(FeedbackContext);
}
