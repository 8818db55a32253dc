import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  ChatError,
  NetworkError,
  chat,
  exportSession,
  filenameFromDisposition,
  getUserSessions,
  importSessions,
  newId,
  stopReply,
  login,
  onConnectivity,
  readEventStream,
  setToken,
} from '.';

function streamOf(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

const message = (sender: string, text: string) => ({
  id: '7b0c5a3e-1111-4222-8333-444455556666',
  sender,
  text,
  timestamp: '2026-11-26T21:42:31.123456Z',
  metadata: {},
});

afterEach(() => setToken(null));

describe('readEventStream', () => {
  it('parses events split across chunks, CRLF, comments and multi-line data', async () => {
    const events: [string, string][] = [];
    await readEventStream(
      streamOf([': keep-alive\n', 'event: del', 'ta\r\ndata: {"text":', '"Hel"}\r\n\r\n', 'event: x\ndata: a\ndata: b\n\n', 'data: last']),
      (event, data) => events.push([event, data]),
    );
    expect(events).toEqual([
      ['delta', '{"text":"Hel"}'],
      ['x', 'a\nb'],
      ['message', 'last'],
    ]);
  });
});

describe('chat', () => {
  it('reports the stored user message, each delta and the reply', async () => {
    const user = message('user', 'Hi');
    const reply = message('assistant', 'Hello there');
    const fetchMock = vi.fn().mockResolvedValue(
      streamOf([
        `event: user_message\ndata: ${JSON.stringify(user)}\n\n`,
        'event: delta\ndata: {"text":"Hello"}\n\n',
        'event: delta\ndata: {"text":" there"}\n\n',
        `event: reply\ndata: ${JSON.stringify(reply)}\n\n`,
      ]),
    );
    vi.stubGlobal('fetch', fetchMock);
    setToken('tok');
    const deltas: string[] = [];
    const onUserMessage = vi.fn();
    const result = await chat('alice', 'sid', 'Hi', { onDelta: (t) => deltas.push(t), onUserMessage });
    expect(result).toEqual({ user_message: user, reply });
    expect(deltas).toEqual(['Hello', ' there']);
    expect(onUserMessage).toHaveBeenCalledWith(user);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/sessions/alice/sid/chat');
    expect(init.method).toBe('POST');
    expect(init.headers.Accept).toBe('text/event-stream');
    expect(init.headers.Authorization).toBe('Bearer tok');
    expect(JSON.parse(init.body)).toEqual({ text: 'Hi' });
  });

  it('turns event: error into a ChatError that knows the user message was stored', async () => {
    const user = message('user', 'Hi');
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        streamOf([`event: user_message\ndata: ${JSON.stringify(user)}\n\n`, 'event: error\ndata: {"detail":"assistant failed"}\n\n']),
      ),
    );
    const err = await chat('alice', 'sid', 'Hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect((err as ChatError).message).toBe('assistant failed');
    expect((err as ChatError).userMessage).toEqual(user);
  });
});

describe('errors', () => {
  it('carries status, detail and Retry-After', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        new Response(JSON.stringify({ detail: 'Too many attempts' }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '120' },
        }),
      ),
    );
    const err = await login('bob', 'wrong-password').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, detail: 'Too many attempts', retryAfter: 120, message: 'Too many attempts' });
  });

  it('summarises FastAPI validation details', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        new Response(
          JSON.stringify({ detail: [{ loc: ['body', 'password'], msg: 'String should have at least 8 characters', type: 'x' }] }),
          { status: 422 },
        ),
      ),
    );
    const err = await login('bob', 'short').catch((e: unknown) => e);
    expect((err as ApiError).message).toBe('password: String should have at least 8 characters');
  });

  it('sends the log-in as an OAuth2 password form', async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(JSON.stringify({ access_token: 't', token_type: 'bearer', user_id: 'u' }), { status: 200 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    await login('bob', 'p@ss word');
    const [, init] = fetchMock.mock.calls[0];
    expect(init.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(init.body).get('password')).toBe('p@ss word');
    expect(init.headers.Authorization).toBeUndefined();
  });

  it('turns a failed fetch into a NetworkError and reports connectivity', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const seen: boolean[] = [];
    const off = onConnectivity((ok) => seen.push(ok));
    await expect(getUserSessions('alice', { cursor: 'abc', limit: 5 })).rejects.toBeInstanceOf(NetworkError);
    off();
    expect(seen).toEqual([false]);
  });

  it('puts cursor and limit in the query', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response(JSON.stringify({ sessions: [], next_cursor: null })));
    vi.stubGlobal('fetch', fetchMock);
    await getUserSessions('alice', { cursor: 'a b', limit: 5 });
    expect(fetchMock.mock.calls[0][0]).toBe('/sessions/alice?limit=5&cursor=a+b');
  });
});

describe('chat ids, stop, export and import', () => {
  it('sends the client-made id with the text', async () => {
    const fetchMock = vi.fn(async () =>
      streamOf([
        `event: user_message\ndata: ${JSON.stringify(message('user', 'Hi'))}\n\n`,
        `event: reply\ndata: ${JSON.stringify(message('assistant', 'Hello'))}\n\n`,
      ]),
    );
    vi.stubGlobal('fetch', fetchMock);
    const id = newId();
    await chat('alice', 's1', 'Hi', { id });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({ text: 'Hi', id });
  });

  it('makes v4 UUIDs, also without crypto.randomUUID', () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b.fill(255) });
    expect(newId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });

  it('stopReply posts to the stop route and answers how many it stopped', async () => {
    const fetchMock = vi.fn(async () => new Response('{"stopped": 1}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    expect(await stopReply('alice', 's1')).toBe(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/sessions/alice/s1/chat/stop');
    expect(init.method).toBe('POST');
  });

  it('takes the download name from Content-Disposition, never a path', async () => {
    expect(filenameFromDisposition('attachment; filename="roof.md"', 'x')).toBe('roof.md');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''d%C3%A9g%C3%A2ts.json", 'x')).toBe('dégâts.json');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('passwd');
    expect(filenameFromDisposition(null, 'fallback.json')).toBe('fallback.json');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('# Roof', { headers: { 'Content-Disposition': 'attachment; filename="roof.md"' } })),
    );
    const file = await exportSession('alice', 's1', 'markdown');
    expect(file.filename).toBe('roof.md');
    expect(await file.blob.text()).toBe('# Roof');
  });

  it('sends an import file as it is, and an invalid one rejects with the server’s detail', async () => {
    const fetchMock = vi.fn(async () => new Response('{"detail": "Not a Cora or ChatGPT export"}', { status: 422 }));
    vi.stubGlobal('fetch', fetchMock);
    const file = new File(['{"nope": true}'], 'x.json');
    await expect(importSessions('alice', file)).rejects.toMatchObject({
      status: 422,
      message: 'Not a Cora or ChatGPT export',
    });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.body).toBe(file);
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });
});
