/**
 * Typed client for the Cora HTTP contract (docs/API.md, v2).
 *
 * - Every failed request becomes an `ApiError` (status + the server's `detail`).
 * - A request that never reached the server becomes a `NetworkError`.
 * - An aborted request rejects with the platform's `AbortError` (a DOMException),
 *   untouched, so callers can tell "the user stopped it" from a failure.
 */

import type { components } from './schema';

// ---------------------------------------------------------------------------
// Objects (contract section 1), from the generated schema (schema.d.ts: `npm run api-types`).

type Schemas = components['schemas'];

export type Sender = Schemas['Sender'];
/** A reply's state (3.5, 3.9). */
export type MessageState = Schemas['MessageStatus'];
export type Feedback = Schemas['MessageFeedback'];
export type Message = Schemas['Message'];
export type NewMessage = Schemas['MessageCreate'];
/** A summary; `match` only on search results (3.4). */
export type SessionSummary = Schemas['SessionSummary'] & { match?: string | null };
export type Session = SessionSummary & { messages: Message[] };

export interface SessionList {
  sessions: SessionSummary[];
  next_cursor: string | null;
}

export interface MessagePage {
  messages: Message[];
  has_more: boolean;
}

export interface SessionFields {
  title?: string | null;
  tags?: string[];
  metadata?: Record<string, unknown>;
  pinned?: boolean;
  archived?: boolean;
}

export type SessionUpdate = Schemas['SessionUpdate'];

export interface ChatResult {
  user_message: Message;
  reply: Message;
}

export type Account = Schemas['AccountPublic'];
export type TokenResponse = Schemas['TokenResponse'];
export type ImportResult = Schemas['ImportResult'];
export type SessionsExport = Schemas['SessionsExport'];

export type TagCount = Schemas['TagUse'];

// ---------------------------------------------------------------------------
// Errors

/** One item of FastAPI's validation error list. */
export interface ValidationIssue {
  loc?: (string | number)[];
  msg: string;
  type?: string;
}

export type ErrorDetail = string | ValidationIssue[] | Record<string, unknown> | null;

/** The server answered, with an error status. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: ErrorDetail;
  /** Seconds, from `Retry-After` (429 and 503). */
  readonly retryAfter: number | null;

  constructor(status: number, detail: ErrorDetail, retryAfter: number | null = null) {
    super(describeDetail(status, detail));
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

/**
 * What went wrong on the way: the server was not reached, the answer broke off while read,
 * the reply stream broke while Cora replied, or it ended without its final event. The user's
 * words for each are in the catalogue (`describeError`); the message is for developers.
 */
export type NetworkFailure = 'unreachable' | 'answerBroke' | 'replyBroke' | 'replyEndedEarly';

const NETWORK_MESSAGES: Record<NetworkFailure, string> = {
  unreachable: 'Cannot reach the server',
  answerBroke: 'The connection broke while reading the answer',
  replyBroke: 'The connection broke while Cora was replying',
  replyEndedEarly: 'The reply stream ended early',
};

/** The request never got an answer: server down, connection refused or dropped. */
export class NetworkError extends Error {
  readonly failure: NetworkFailure;

  constructor(failure: NetworkFailure = 'unreachable', options?: { cause?: unknown }) {
    super(NETWORK_MESSAGES[failure], options);
    this.name = 'NetworkError';
    this.failure = failure;
  }
}

export function isAbortError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    (err as { name: unknown }).name === 'AbortError'
  );
}

/**
 * A developer's sentence from a `detail` (string, or FastAPI's list of issues): the error's
 * `message`. What the user reads comes from `describeError` (src/errors.ts), in their language.
 */
export function describeDetail(status: number, detail: ErrorDetail): string {
  if (typeof detail === 'string' && detail.trim()) return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((issue) => {
        const loc = (issue.loc ?? []).filter((part) => part !== 'body' && part !== 'query');
        const field = loc.length ? `${loc.join('.')}: ` : '';
        return `${field}${issue.msg}`;
      })
      .join('; ');
  }
  return `Request failed (HTTP ${status})`;
}

// ---------------------------------------------------------------------------
// Client state: base URL, token, and listeners for connectivity and auth.

let baseUrl = '';
let authToken: string | null = null;

type ConnectivityListener = (reachable: boolean) => void;
type UnauthorizedListener = (error: ApiError) => void;
const connectivityListeners = new Set<ConnectivityListener>();
const unauthorizedListeners = new Set<UnauthorizedListener>();

export function setBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, '');
}

export function setToken(token: string | null): void {
  authToken = token;
}

export function getToken(): string | null {
  return authToken;
}

/** Called with `false` whenever a request fails to reach the server, `true` when one does. */
export function onConnectivity(listener: ConnectivityListener): () => void {
  connectivityListeners.add(listener);
  return () => connectivityListeners.delete(listener);
}

/** Called when a request that carried a token is answered 401 (expired or revoked). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function notifyConnectivity(reachable: boolean): void {
  for (const listener of connectivityListeners) listener(reachable);
}

// ---------------------------------------------------------------------------
// Transport

interface RequestOptions {
  method?: string;
  json?: unknown;
  /** A body sent as is (a file to import), as `application/json`. */
  raw?: Blob | string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not send the Authorization header. */
  anonymous?: boolean;
  /** Let the request outlive the page (sent as the page is left). */
  keepalive?: boolean;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = options.raw;
  } else if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const sentToken = !options.anonymous && authToken ? authToken : null;
  if (sentToken) headers.Authorization = `Bearer ${sentToken}`;

  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    notifyConnectivity(false);
    throw new NetworkError('unreachable', { cause: err });
  }
  notifyConnectivity(true);
  if (!response.ok && response.status !== 304) {
    const error = await errorFromResponse(response);
    if (error.status === 401 && sentToken) {
      for (const listener of unauthorizedListeners) listener(error);
    }
    throw error;
  }
  return response;
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  let detail: ErrorDetail = null;
  try {
    const text = await response.text();
    if (text) {
      try {
        const parsed: unknown = JSON.parse(text);
        detail =
          typeof parsed === 'object' && parsed !== null && 'detail' in parsed
            ? ((parsed as { detail: ErrorDetail }).detail ?? null)
            : text;
      } catch {
        detail = text.slice(0, 500);
      }
    }
  } catch {
    // Body unreadable: keep detail null, the status still says what happened.
  }
  const retryHeader = response.headers.get('Retry-After');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  return new ApiError(response.status, detail, retryAfter);
}

async function sendJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  try {
    return (await response.json()) as T;
  } catch (err) {
    if (isAbortError(err)) throw err;
    notifyConnectivity(false);
    throw new NetworkError('answerBroke', { cause: err });
  }
}

// ---------------------------------------------------------------------------
// Operations (5)

export async function health(signal?: AbortSignal): Promise<{ status: string }> {
  return sendJson('/healthz', { signal, anonymous: true });
}

// ---------------------------------------------------------------------------
// Accounts (4)

export async function register(username: string, password: string): Promise<Account> {
  return sendJson('/auth/register', {
    method: 'POST',
    json: { username, password },
    anonymous: true,
  });
}

export async function login(username: string, password: string): Promise<TokenResponse> {
  return sendJson('/auth/token', {
    method: 'POST',
    form: { grant_type: 'password', username, password },
    anonymous: true,
  });
}

/** End this token everywhere (4). A server without the route (older, or mode `none`) is fine. */
export async function logout(): Promise<void> {
  try {
    await send('/auth/logout', { method: 'POST' });
  } catch (err) {
    if (!(err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 401))) throw err;
  }
}

/** Change the password: every token issued before stops working (4). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await send('/auth/password', {
    method: 'POST',
    json: { current_password: currentPassword, new_password: newPassword },
  });
}

/** Delete the account, its sessions and tokens (4). */
export async function deleteAccount(password: string): Promise<void> {
  await send('/auth/me', { method: 'DELETE', json: { password } });
}

/** The account of the current token. 401 without a valid token, 404 in auth mode `none`. */
export async function me(signal?: AbortSignal): Promise<Account> {
  return sendJson('/auth/me', { signal });
}

// ---------------------------------------------------------------------------
// Sessions (2, 3)

export async function createSession(userId: string, fields: SessionFields = {}): Promise<Session> {
  return sendJson(`/sessions/${enc(userId)}`, { method: 'POST', json: fields });
}

export interface ListOptions {
  limit?: number;
  cursor?: string | null;
  q?: string;
  tag?: string;
  /** Only archived sessions (true); by default the list leaves them out (3.1). */
  archived?: boolean;
  /** Only pinned sessions (3.1). */
  pinned?: boolean;
  signal?: AbortSignal;
}

export async function getUserSessions(
  userId: string,
  { limit, cursor, q, tag, archived, pinned, signal }: ListOptions = {},
): Promise<SessionList> {
  const flags = { archived: archived ? 'true' : undefined, pinned: pinned ? 'true' : undefined };
  return sendJson(`/sessions/${enc(userId)}${query({ limit, cursor, q, tag, ...flags })}`, { signal });
}

/** Every tag of the user's sessions with how many carry it, most used first (3.11). */
export async function getTags(userId: string, signal?: AbortSignal): Promise<TagCount[]> {
  const result = await sendJson<{ tags: TagCount[] }>(`/sessions/${enc(userId)}/tags`, { signal });
  return result.tags;
}

/** Rate an assistant message, or clear the rating with null (3.10). */
export async function setFeedback(
  userId: string,
  sessionId: string,
  messageId: string,
  feedback: Feedback | null,
): Promise<Message> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}/messages/${enc(messageId)}`, {
    method: 'PATCH',
    json: { feedback },
  });
}

export async function getSession(
  userId: string,
  sessionId: string,
  signal?: AbortSignal,
): Promise<Session> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}`, { signal });
}

/** The session with its ETag, for a later `If-Match`. */
export async function getSessionWithEtag(
  userId: string,
  sessionId: string,
  signal?: AbortSignal,
): Promise<{ session: Session; etag: string | null }> {
  const response = await send(`/sessions/${enc(userId)}/${enc(sessionId)}`, { signal });
  return { session: (await response.json()) as Session, etag: response.headers.get('ETag') };
}

function ifMatch(etag?: string): Record<string, string> {
  return etag ? { 'If-Match': etag } : {};
}

export async function replaceSession(
  userId: string,
  sessionId: string,
  update: SessionUpdate,
  etag?: string,
): Promise<Session> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}`, {
    method: 'PUT',
    json: update,
    headers: ifMatch(etag),
  });
}

export async function patchSession(
  userId: string,
  sessionId: string,
  fields: SessionFields,
  etag?: string,
): Promise<SessionSummary> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}`, {
    method: 'PATCH',
    json: fields,
    headers: ifMatch(etag),
  });
}

export async function deleteSession(
  userId: string,
  sessionId: string,
  etag?: string,
  { keepalive = false }: { keepalive?: boolean } = {},
): Promise<void> {
  await send(`/sessions/${enc(userId)}/${enc(sessionId)}`, {
    method: 'DELETE',
    headers: ifMatch(etag),
    keepalive,
  });
}

export async function addMessage(
  userId: string,
  sessionId: string,
  message: NewMessage,
): Promise<Message> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}/messages`, {
    method: 'POST',
    json: message,
  });
}

export async function getMessages(
  userId: string,
  sessionId: string,
  { limit, before, signal }: { limit?: number; before?: string; signal?: AbortSignal } = {},
): Promise<MessagePage> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}/messages${query({ limit, before })}`, {
    signal,
  });
}

// ---------------------------------------------------------------------------
// Export and import (3.6)

/** A file the server sent as a download, with the name it suggested. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** The file name of a `Content-Disposition` header (`filename*=UTF-8''...` or `filename="..."`). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  let name: string | null = null;
  if (extended) {
    try {
      name = decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
    name = plain ? (plain[2] ?? plain[1]).trim() : null;
  }
  // Never a path: keep the last segment, and no control characters.
  const safe = name?.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return safe || fallback;
}

async function download(path: string, fallback: string): Promise<Download> {
  const response = await send(path, { headers: { Accept: '*/*' } });
  const blob = await response.blob();
  return { blob, filename: filenameFromDisposition(response.headers.get('Content-Disposition'), fallback) };
}

export async function exportSession(
  userId: string,
  sessionId: string,
  format: 'json' | 'markdown' = 'json',
): Promise<Download> {
  return download(
    `/sessions/${enc(userId)}/${enc(sessionId)}/export${query({ format })}`,
    `cora-${sessionId}.${format === 'json' ? 'json' : 'md'}`,
  );
}

/** All the user's sessions as one `cora-sessions` document, as a file to save. */
export async function exportAllSessions(userId: string): Promise<Download> {
  return download(`/sessions/${enc(userId)}/export`, `cora-sessions-${userId}.json`);
}

/**
 * Import a Cora export or a ChatGPT `conversations.json`. A file or text is sent as it
 * is (the server judges it and names what is wrong); anything else is sent as JSON.
 */
export async function importSessions(userId: string, document: Blob | string | object): Promise<ImportResult> {
  const body =
    document instanceof Blob || typeof document === 'string' ? { raw: document } : { json: document };
  return sendJson(`/sessions/${enc(userId)}/import`, { method: 'POST', ...body });
}

// ---------------------------------------------------------------------------
// Chat (3.5)

export interface ChatHandlers {
  signal?: AbortSignal;
  /**
   * The id for the user's message (a UUID the client makes): sending again with the same
   * id stores nothing twice and answers with the earlier reply, so a retry is safe.
   */
  id?: string;
  /** The user's message as the server stored it. */
  onUserMessage?: (message: Message) => void;
  /** The next piece of the assistant's reply. */
  onDelta?: (text: string) => void;
}

/**
 * The assistant failed after the user's message was stored (`event: error`,
 * or 502 in JSON mode). `userMessage` is set when the server had confirmed it.
 */
export class ChatError extends ApiError {
  readonly userMessage: Message | null;
  constructor(status: number, detail: ErrorDetail, userMessage: Message | null) {
    super(status, detail);
    this.name = 'ChatError';
    this.userMessage = userMessage;
  }
}

/** Chat without streaming: 201 `{user_message, reply}`. */
export async function chatOnce(
  userId: string,
  sessionId: string,
  text: string,
  id?: string,
): Promise<ChatResult> {
  return sendJson(`/sessions/${enc(userId)}/${enc(sessionId)}/chat`, {
    method: 'POST',
    json: id ? { text, id } : { text },
  });
}

/**
 * Chat with Server-Sent Events. Resolves with the stored user message and reply.
 * Rejects with:
 * - `ApiError` when the request is refused (nothing stored),
 * - `ChatError` when the server reports `event: error` (user message stored, no reply),
 * - `NetworkError` when the connection breaks (check `userMessageStored` via the
 *   `onUserMessage` callback: the server keeps the reply even then),
 * - an `AbortError` when `signal` is aborted.
 */
export async function chat(
  userId: string,
  sessionId: string,
  text: string,
  handlers: ChatHandlers = {},
): Promise<ChatResult> {
  const response = await send(`/sessions/${enc(userId)}/${enc(sessionId)}/chat`, {
    method: 'POST',
    json: handlers.id ? { text, id: handlers.id } : { text },
    headers: { Accept: 'text/event-stream' },
    signal: handlers.signal,
  });

  const contentType = response.headers.get('Content-Type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    // A server that ignores Accept answers JSON: still honour the contract.
    const result = (await response.json()) as ChatResult;
    handlers.onUserMessage?.(result.user_message);
    handlers.onDelta?.(result.reply.text);
    return result;
  }

  let userMessage: Message | null = null;
  let reply: Message | null = null;
  let failure: ChatError | null = null;

  const handleEvent = (event: string, data: string) => {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return; // Not JSON: ignore, as SSE clients ignore what they don't understand.
    }
    switch (event) {
      case 'user_message':
        userMessage = payload as Message;
        handlers.onUserMessage?.(userMessage);
        break;
      case 'delta': {
        const piece = (payload as { text?: unknown }).text;
        if (typeof piece === 'string') handlers.onDelta?.(piece);
        break;
      }
      case 'reply':
        reply = payload as Message;
        break;
      case 'error':
        failure = new ChatError(502, (payload as { detail?: ErrorDetail }).detail ?? null, userMessage);
        break;
      default:
        break;
    }
  };

  try {
    await readEventStream(response, handleEvent);
  } catch (err) {
    if (isAbortError(err)) throw err;
    notifyConnectivity(false);
    throw new NetworkError('replyBroke', { cause: err });
  }

  if (failure) throw failure;
  if (!userMessage || !reply) {
    throw new NetworkError('replyEndedEarly');
  }
  return { user_message: userMessage, reply };
}

/**
 * Parse a `text/event-stream` body: `event:` and `data:` lines, events separated by a
 * blank line; `id:` is passed along (it persists, as in EventSource); comments (`:`) and
 * `retry:` are ignored.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: string, data: string, id: string | null) => void,
): Promise<void> {
  if (!response.body) throw new Error('Response has no body');
  let eventId: string | null = null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let eventName = '';
  let dataLines: string[] = [];

  const dispatch = () => {
    if (dataLines.length > 0) onEvent(eventName || 'message', dataLines.join('\n'), eventId);
    eventName = '';
    dataLines = [];
  };

  const processLine = (rawLine: string) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') dataLines.push(value);
    else if (field === 'id' && !value.includes('\0')) eventId = value;
  };

  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      processLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  }
  buffer += decoder.decode();
  if (buffer) processLine(buffer);
  dispatch();
}

/** The live event streams (3.8): the user's list, or one session. */
export function listEventsPath(userId: string): string {
  return `/sessions/${enc(userId)}/events`;
}

export function sessionEventsPath(userId: string, sessionId: string): string {
  return `/sessions/${enc(userId)}/${enc(sessionId)}/events`;
}

/**
 * Read a live event stream until the server ends it (resolves) or it breaks (rejects).
 * `lastEventId` resumes after the last event seen (the server sends what was missed, or
 * `reset`).
 */
export async function readLiveEvents(
  path: string,
  options: {
    lastEventId: string | null;
    signal: AbortSignal;
    onOpen?: () => void;
    onEvent: (event: string, data: string, id: string | null) => void;
  },
): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (options.lastEventId !== null) headers['Last-Event-ID'] = options.lastEventId;
  const response = await send(path, { headers, signal: options.signal });
  options.onOpen?.();
  await readEventStream(response, options.onEvent);
}

/** Regenerate the session's last reply (3.5), streamed like `chat` (without a user message). */
export async function regenerate(
  userId: string,
  sessionId: string,
  handlers: Pick<ChatHandlers, 'signal' | 'onDelta'> & { onReplyStarted?: (reply: Message) => void } = {},
): Promise<Message> {
  const response = await send(`/sessions/${enc(userId)}/${enc(sessionId)}/chat/regenerate`, {
    method: 'POST',
    headers: { Accept: 'text/event-stream' },
    signal: handlers.signal,
  });
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    const result = (await response.json()) as ChatResult;
    handlers.onDelta?.(result.reply.text);
    return result.reply;
  }
  let reply: Message | null = null;
  let failure: ChatError | null = null;
  await readEventStream(response, (event, data) => {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    if (event === 'reply_started') handlers.onReplyStarted?.(payload as Message);
    else if (event === 'delta') {
      const piece = (payload as { text?: unknown }).text;
      if (typeof piece === 'string') handlers.onDelta?.(piece);
    } else if (event === 'reply') reply = payload as Message;
    else if (event === 'error') {
      failure = new ChatError(502, (payload as { detail?: ErrorDetail }).detail ?? null, null);
    }
  });
  if (failure) throw failure;
  if (!reply) throw new NetworkError('replyEndedEarly');
  return reply;
}

/**
 * Ask the server to stop the reply being written in a session
 * (`POST .../chat/stop`). The server stores the text so far, marked
 * `metadata.stopped: true`, and sends it as the stream's `reply` event.
 * Resolves with how many replies it stopped (0: none was running).
 */
export async function stopReply(userId: string, sessionId: string): Promise<number> {
  const result = await sendJson<{ stopped: number }>(
    `/sessions/${enc(userId)}/${enc(sessionId)}/chat/stop`,
    { method: 'POST' },
  );
  return result.stopped;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` can be a session or message id (the API's UUID pattern, any case). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** A random UUID (v4), also where `crypto.randomUUID` is missing (plain-HTTP pages). */
export function newId(): string {
  const cryptoApi = globalThis.crypto;
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof cryptoApi?.getRandomValues === 'function') cryptoApi.getRandomValues(bytes);
  else for (let i = 0; i < 16; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
