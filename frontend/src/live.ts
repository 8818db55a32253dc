import { useEffect, useRef } from 'react';
import * as api from './api';

/** First wait before reconnecting a broken live stream; doubled each failure up to the max. */
export const LIVE_RETRY_MS = 500;
export const LIVE_RETRY_MAX_MS = 15000;

export interface LiveHandlers {
  /** One event (`session`, `deleted`, `message`, `delta`...), its data parsed as JSON. */
  onEvent: (event: string, data: unknown) => void;
  /**
   * The server could not replay what was missed (`event: reset`), or the stream was
   * reopened after a break: read the state again.
   */
  onReset: () => void;
  /**
   * The stream is open for the first time: it carries what happens from now on, so what
   * changed since the caller read the state is not in it.
   */
  onConnected?: () => void;
}

/**
 * Follow a live event stream (contract 3.8) while `path` is set: fetch-based (so the
 * Authorization header goes along), resuming with `Last-Event-ID` after a break, with
 * exponential backoff. A stream the server ends normally (`deleted`) or refuses with
 * 401/403/404 is not reopened.
 */
export function useLiveEvents(path: string | null, handlers: LiveHandlers, retryMs = LIVE_RETRY_MS): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let lastEventId: string | null = null;
    let timer: number | null = null;
    let delay = retryMs;
    let ended = false;
    let attempts = 0;

    const onEvent = (event: string, data: string, id: string | null) => {
      if (id !== null) lastEventId = id;
      if (event === 'reset') {
        handlersRef.current.onReset();
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        return;
      }
      if (event === 'deleted') ended = true;
      handlersRef.current.onEvent(event, payload);
    };

    const connect = async () => {
      timer = null;
      const reconnecting = attempts > 0;
      attempts += 1;
      try {
        await api.readLiveEvents(path, {
          lastEventId,
          signal: controller.signal,
          onOpen: () => {
            delay = retryMs;
            // What changed while away may not be replayed (a restarted server, a reply
            // that became interrupted): read the state again.
            if (reconnecting) handlersRef.current.onReset();
            else handlersRef.current.onConnected?.();
          },
          onEvent,
        });
      } catch (err) {
        if (controller.signal.aborted || api.isAbortError(err)) return;
        if (err instanceof api.ApiError && [401, 403, 404, 422].includes(err.status)) return;
      }
      if (controller.signal.aborted || ended) return;
      timer = window.setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, LIVE_RETRY_MAX_MS);
    };
    void connect();

    return () => {
      controller.abort();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [path, retryMs]);
}
