/**
 * An in-memory stand-in for the Cora server at the network boundary (`fetch`), for
 * component tests. It follows the contract's shapes (API.md 1-3.5): sessions sorted
 * by updated_at, cursor paging, titles derived from the first user message, and the
 * chat route's Server-Sent Events. Tests can make a route fail with `failNext`.
 */
import { vi } from 'vitest';
import type { Message, Session, SessionSummary } from '../api';

type Failure = { status: number; detail: unknown } | 'network';

interface Route {
  method: string;
  pattern: RegExp;
}

export interface FakeServerOptions {
  /** The assistant's reply to a text (split into deltas by words). */
  reply?: (text: string) => string;
}

let clock = Date.parse('2026-11-20T10:00:00Z');
function now(): string {
  clock += 1000;
  return new Date(clock).toISOString().replace('Z', '000Z');
}

let idCounter = 0;
function uuid(): string {
  idCounter += 1;
  return `00000000-0000-4000-8000-${idCounter.toString(16).padStart(12, '0')}`;
}

function derivedTitle(messages: Message[]): string | null {
  const first = messages.find((m) => m.sender === 'user');
  if (!first) return null;
  const line = first.text.split('\n').find((l) => l.trim() !== '');
  return line ? line.trim().slice(0, 80) : null;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** An event stream that stays open until the request is aborted. */
function openStream(signal: AbortSignal | null | undefined): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(': connected\n\n'));
      signal?.addEventListener('abort', () => controller.error(new DOMException('Aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** A hold for the next request on `route`, put in `holds`; the function returned releases it. */
function hold(holds: { route: Route; release: Promise<void> }[], route: Route): () => void {
  let release!: () => void;
  holds.push({ route, release: new Promise<void>((resolve) => (release = resolve)) });
  return release;
}

/** `answer` once `hold` is released, or an AbortError if `signal` aborts before. */
function arrivesLate(answer: Response, hold: { release: Promise<void> }, signal: AbortSignal | null | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
    void hold.release.then(() => resolve(answer));
  });
}

export class FakeServer {
  readonly sessions = new Map<string, Session>();
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  private failures: { route: Route; failure: Failure }[] = [];
  private holds: { route: Route; release: Promise<void> }[] = [];
  private lateAnswers: { route: Route; release: Promise<void> }[] = [];
  private reply: (text: string) => string;
  /** When set, the next chat stores the user message and then sends `event: error`. */
  assistantFailure: string | null = null;
  /**
   * When set, a chat sends its first delta and then waits for the stop route (as a slow
   * assistant would); the stop stores the text so far, marked `metadata.stopped`.
   */
  slowReplies = false;
  /**
   * When set, the live event routes (3.8) answer with a stream that stays open and sends
   * nothing but `: connected` (otherwise they are not found, and the app does without).
   */
  liveStreams = false;
  /** Sessions a search reads before its time budget ends its page (null: no budget). */
  searchBudget: number | null = null;
  private stops = new Map<string, () => void>();
  /** Imports answered by the import route (set by a test), or a 422 with this detail. */
  importAnswer: { imported: string[]; skipped: string[] } | { detail: string } = {
    imported: [],
    skipped: [],
  };

  constructor(options: FakeServerOptions = {}) {
    this.reply = options.reply ?? ((text) => `You asked about **${text}**. Here is what I know.`);
  }

  /** Install as `fetch`. */
  install(): this {
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL, init?: RequestInit) => this.handle(input, init)));
    return this;
  }

  addSession(userId: string, fields: Partial<Session> = {}): Session {
    const created = now();
    const session: Session = {
      session_id: uuid(),
      user_id: userId,
      title: null,
      created_at: created,
      updated_at: created,
      message_count: 0,
      tags: [],
      metadata: {},
      pinned: false,
      archived: false,
      messages: [],
      ...fields,
    };
    session.message_count = session.messages.length;
    this.sessions.set(session.session_id, session);
    return session;
  }

  /** The next request matching method and path pattern fails this way. */
  failNext(method: string, pattern: RegExp, failure: Failure): void {
    this.failures.push({ route: { method, pattern }, failure });
  }

  /** The next matching request waits until `release` resolves. */
  holdNext(method: string, pattern: RegExp): () => void {
    return hold(this.holds, { method, pattern });
  }

  /**
   * The next matching request is answered (and what it stores, stored) at once, but the answer
   * reaches the client only when `release` is called, or never if the client aborts first: a
   * slow network.
   */
  holdAnswerNext(method: string, pattern: RegExp): () => void {
    return hold(this.lateAnswers, { method, pattern });
  }

  count(method: string, pattern: RegExp): number {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path)).length;
  }

  private take<T extends { route: Route }>(list: T[], method: string, path: string): T | undefined {
    const index = list.findIndex((f) => f.route.method === method && f.route.pattern.test(path));
    if (index === -1) return undefined;
    return list.splice(index, 1)[0];
  }

  private summary(session: Session): SessionSummary {
    const { messages, ...rest } = session;
    return { ...rest, title: session.title ?? derivedTitle(messages), message_count: messages.length };
  }

  private full(session: Session): Session {
    return { ...this.summary(session), messages: session.messages };
  }

  async handle(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(String(input), 'http://cora.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const body: unknown = typeof init.body === 'string' ? safeJson(init.body) : undefined;
    this.requests.push({ method, path: path + url.search, body });

    const hold = this.take(this.holds, method, path);
    if (hold) await hold.release;
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');

    const failure = this.take(this.failures, method, path);
    if (failure) {
      if (failure.failure === 'network') throw new TypeError('Failed to fetch');
      return json(failure.failure.status, { detail: failure.failure.detail });
    }

    const late = this.take(this.lateAnswers, method, path);
    if (late) return arrivesLate(await this.respond(url, method, path, body, { ...init, signal: undefined }), late, init.signal);
    return this.respond(url, method, path, body, init);
  }

  private async respond(url: URL, method: string, path: string, body: unknown, init: RequestInit): Promise<Response> {
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path.startsWith('/auth/')) return json(404, { detail: 'Not Found' });

    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'sessions' || !parts[1]) return json(404, { detail: 'Not Found' });
    if (this.liveStreams && parts.at(-1) === 'events' && method === 'GET') return openStream(init.signal);
    const userId = parts[1];

    if (parts.length === 2 && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const tag = url.searchParams.get('tag');
      const archived = url.searchParams.get('archived') === 'true';
      const pinnedOnly = url.searchParams.get('pinned') === 'true';
      const listed = [...this.sessions.values()]
        .filter((s) => s.user_id === userId)
        .filter((s) => (s.archived ?? false) === archived && (!pinnedOnly || s.pinned === true))
        .sort((a, b) =>
          a.updated_at === b.updated_at
            ? b.session_id.localeCompare(a.session_id)
            : b.updated_at.localeCompare(a.updated_at),
        );
      const matches = (s: Session) =>
        (tag === null || s.tags.includes(tag)) &&
        (!q ||
          (this.summary(s).title ?? '').toLowerCase().includes(q) ||
          s.tags.some((t) => t.toLowerCase().includes(q)) ||
          s.messages.some((m) => m.text.toLowerCase().includes(q)));
      const searching = q !== '' || tag !== null;
      let page: Session[];
      let next: string | null;
      if (searching && this.searchBudget !== null) {
        // As the JSON store past its time budget (3.4): what the sessions read so far hold, and a
        // cursor after the last one read (the budget is kept under a page in tests).
        const read = listed.slice(offset, offset + this.searchBudget);
        page = read.filter(matches).slice(0, limit);
        next = offset + read.length < listed.length ? String(offset + read.length) : null;
      } else {
        const all = listed.filter(matches);
        page = all.slice(offset, offset + limit);
        next = offset + limit < all.length ? String(offset + limit) : null;
      }
      const shown = page.map((s) =>
        searching
          ? {
              ...this.summary(s),
              match: q ? (s.messages.find((m) => m.text.toLowerCase().includes(q))?.text.slice(0, 200) ?? null) : null,
            }
          : this.summary(s),
      );
      return json(200, { sessions: shown, next_cursor: next });
    }
    if (parts.length === 2 && method === 'POST') {
      const session = this.addSession(userId, (body as Partial<Session>) ?? {});
      return json(201, this.full(session), { Location: `/sessions/${userId}/${session.session_id}` });
    }

    if (parts.length === 3 && parts[2] === 'export' && method === 'GET') {
      const all = [...this.sessions.values()].filter((s) => s.user_id === userId).map((s) => this.full(s));
      return json(200, { format: 'cora-sessions', version: 1, sessions: all }, {
        'Content-Disposition': `attachment; filename="cora-${userId}.json"`,
      });
    }
    if (parts.length === 3 && parts[2] === 'import' && method === 'POST') {
      const answer = this.importAnswer;
      return 'detail' in answer ? json(422, answer) : json(201, answer);
    }

    const session = this.sessions.get(parts[2]);
    if (!session || session.user_id !== userId) return json(404, { detail: 'Session not found' });

    if (parts.length === 3 && method === 'GET') return json(200, this.full(session));
    if (parts.length === 3 && method === 'PATCH') {
      const fields = (body ?? {}) as Partial<Session>;
      if ('title' in fields) session.title = fields.title ?? null;
      if (fields.tags) session.tags = fields.tags;
      if (fields.pinned !== undefined) session.pinned = fields.pinned;
      if (fields.archived !== undefined) session.archived = fields.archived;
      if ('title' in fields || fields.tags) session.updated_at = now();
      return json(200, this.summary(session));
    }
    if (parts.length === 3 && method === 'DELETE') {
      this.sessions.delete(session.session_id);
      return new Response(null, { status: 204 });
    }
    if (parts.length === 4 && parts[3] === 'messages' && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const before = url.searchParams.get('before');
      let end = session.messages.length;
      if (before) {
        end = session.messages.findIndex((m) => m.id === before);
        if (end === -1) return json(404, { detail: 'Message not found' });
      }
      const start = Math.max(0, end - limit);
      return json(200, { messages: session.messages.slice(start, end), has_more: start > 0 });
    }
    if (parts.length === 4 && parts[3] === 'export' && method === 'GET') {
      const format = url.searchParams.get('format') ?? 'json';
      const text = format === 'markdown' ? `# ${this.summary(session).title ?? 'Chat'}\n` : JSON.stringify(this.full(session));
      return new Response(text, {
        status: 200,
        headers: {
          'Content-Type': format === 'markdown' ? 'text/markdown' : 'application/json',
          'Content-Disposition': `attachment; filename="chat.${format === 'markdown' ? 'md' : 'json'}"`,
        },
      });
    }
    if (parts.length === 5 && parts[3] === 'chat' && parts[4] === 'stop' && method === 'POST') {
      const stop = this.stops.get(session.session_id);
      this.stops.delete(session.session_id);
      stop?.();
      return json(200, { stopped: stop ? 1 : 0 });
    }

    if (parts.length === 5 && parts[3] === 'chat' && parts[4] === 'regenerate' && method === 'POST') {
      // A new reply to the last user message, after the messages already there (3.5).
      const question = [...session.messages].reverse().find((m) => m.sender === 'user');
      if (!question) return json(422, { detail: 'The session has no user message' });
      const replyText = this.reply(question.text);
      const reply: Message = { id: uuid(), sender: 'assistant', text: replyText, timestamp: now(), metadata: {}, status: 'complete' };
      session.messages.push(reply);
      session.updated_at = reply.timestamp;
      const started = { ...reply, text: '', status: 'streaming' };
      const events = [
        `event: reply_started\ndata: ${JSON.stringify(started)}\n\n`,
        ...replyText.split(/(?<= )/).map((piece) => `event: delta\ndata: ${JSON.stringify({ text: piece })}\n\n`),
        `event: reply\ndata: ${JSON.stringify(reply)}\n\n`,
      ];
      return new Response(events.join(''), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    }

    if (parts.length === 4 && parts[3] === 'chat' && method === 'POST') {
      const text = (body as { text?: string })?.text ?? '';
      const clientId = (body as { id?: string })?.id;
      const earlier = clientId ? session.messages.findIndex((m) => m.id === clientId) : -1;
      if (earlier !== -1) {
        // A retry: nothing stored twice; the earlier reply, if there is one.
        const stored = session.messages[earlier];
        const reply = session.messages[earlier + 1];
        const events = [`event: user_message\ndata: ${JSON.stringify(stored)}\n\n`];
        if (reply?.sender === 'assistant') events.push(`event: reply\ndata: ${JSON.stringify(reply)}\n\n`);
        return new Response(events.join(''), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      }
      const userMessage: Message = { id: clientId ?? uuid(), sender: 'user', text, timestamp: now(), metadata: {}, status: 'complete' };
      session.messages.push(userMessage);
      session.updated_at = userMessage.timestamp;
      if (this.assistantFailure) {
        const detail = this.assistantFailure;
        this.assistantFailure = null;
        return new Response(
          `event: user_message\ndata: ${JSON.stringify(userMessage)}\n\nevent: error\ndata: ${JSON.stringify({ detail })}\n\n`,
          { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
        );
      }
      if (this.slowReplies) {
        const pieces = this.reply(text).split(/(?<= )/);
        const encoder = new TextEncoder();
        const stops = this.stops;
        const sessionId = session.session_id;
        const signal = init.signal;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            signal?.addEventListener('abort', () => {
              stops.delete(sessionId);
              try {
                controller.error(new DOMException('The operation was aborted.', 'AbortError'));
              } catch {
                // already closed
              }
            });
            controller.enqueue(encoder.encode(`event: user_message\ndata: ${JSON.stringify(userMessage)}\n\n`));
            controller.enqueue(encoder.encode(`event: delta\ndata: ${JSON.stringify({ text: pieces[0] })}\n\n`));
            stops.set(sessionId, () => {
              const reply: Message = {
                id: uuid(),
                sender: 'assistant',
                text: pieces[0],
                timestamp: now(),
                metadata: { stopped: true },
                status: 'stopped',
              };
              session.messages.push(reply);
              session.updated_at = reply.timestamp;
              controller.enqueue(encoder.encode(`event: reply\ndata: ${JSON.stringify(reply)}\n\n`));
              controller.close();
            });
          },
        });
        return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      }
      const replyText = this.reply(text);
      const reply: Message = { id: uuid(), sender: 'assistant', text: replyText, timestamp: now(), metadata: {}, status: 'complete' };
      session.messages.push(reply);
      session.updated_at = reply.timestamp;
      const events = [
        `event: user_message\ndata: ${JSON.stringify(userMessage)}\n\n`,
        ...replyText.split(/(?<= )/).map((piece) => `event: delta\ndata: ${JSON.stringify({ text: piece })}\n\n`),
        `event: reply\ndata: ${JSON.stringify(reply)}\n\n`,
      ];
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const event of events) controller.enqueue(encoder.encode(event));
          controller.close();
        },
      });
      return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    }

    return json(405, { detail: 'Method Not Allowed' });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
