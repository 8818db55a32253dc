import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from './api';
import { useLiveEvents } from './live';

/** A server-side stream the test writes to and ends. */
class Stream {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  readonly body = new ReadableStream<Uint8Array>({
    start: (controller) => {
      this.controller = controller;
    },
  });
  write(text: string) {
    this.controller.enqueue(new TextEncoder().encode(text));
  }
  close() {
    this.controller.close();
  }
  error() {
    this.controller.error(new TypeError('network'));
  }
}

let connections: { headers: Record<string, string>; stream: Stream; url: string }[];
let refuse: number | null;

beforeEach(() => {
  connections = [];
  refuse = null;
  api.setToken('tok-1');
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit) => {
      if (refuse !== null) {
        return Promise.resolve(new Response(JSON.stringify({ detail: 'no' }), { status: refuse }));
      }
      const stream = new Stream();
      connections.push({ url, headers: init.headers as Record<string, string>, stream });
      return Promise.resolve(
        new Response(stream.body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
      );
    }),
  );
});

afterEach(() => {
  api.setToken(null);
  vi.unstubAllGlobals();
});

function follow(path: string | null = '/sessions/u1/events') {
  const events: [string, unknown][] = [];
  const resets = { count: 0 };
  const connected = { count: 0 };
  const hook = renderHook(({ p }) =>
    useLiveEvents(
      p,
      {
        onEvent: (e, d) => events.push([e, d]),
        onReset: () => (resets.count += 1),
        onConnected: () => (connected.count += 1),
      },
      10,
    ),
  { initialProps: { p: path } });
  return { events, resets, connected, hook };
}

describe('useLiveEvents', () => {
  it('sends the token and delivers parsed events, ignoring comments', async () => {
    const { events } = follow();
    await waitFor(() => expect(connections).toHaveLength(1));
    expect(connections[0].headers.Authorization).toBe('Bearer tok-1');
    expect(connections[0].headers['Last-Event-ID']).toBeUndefined();
    connections[0].stream.write(': keep-alive\n\nid: 7\nevent: session\ndata: {"session_id":"s1"}\n\n');
    connections[0].stream.write('id: 8\nevent: del');
    connections[0].stream.write('ta\ndata: {"message_id":"m","text":"Hi"}\n\n');
    await waitFor(() => expect(events).toHaveLength(2));
    expect(events).toEqual([
      ['session', { session_id: 's1' }],
      ['delta', { message_id: 'm', text: 'Hi' }],
    ]);
  });

  it('resumes with Last-Event-ID after a break, and reset asks for a reload', async () => {
    const { events, resets, connected } = follow();
    await waitFor(() => expect(connections).toHaveLength(1));
    await waitFor(() => expect(connected.count).toBe(1)); // first open: catch up, no reload
    expect(resets.count).toBe(0);
    connections[0].stream.write('id: 41\nevent: session\ndata: {}\n\n');
    await waitFor(() => expect(events).toHaveLength(1));
    connections[0].stream.error();
    await waitFor(() => expect(connections).toHaveLength(2));
    expect(connections[1].headers['Last-Event-ID']).toBe('41');
    await waitFor(() => expect(resets.count).toBe(1)); // reopened: read the state again
    connections[1].stream.write('id: 50\nevent: reset\ndata: {}\n\n');
    await waitFor(() => expect(resets.count).toBe(2));
    connections[1].stream.close();
    await waitFor(() => expect(connections).toHaveLength(3));
    expect(connections[2].headers['Last-Event-ID']).toBe('50');
    expect(connected.count).toBe(1); // reopenings read the state again instead
  });

  it('does not reopen a stream that ended with deleted, nor one refused with 404', async () => {
    const { events } = follow('/sessions/u1/s1/events');
    await waitFor(() => expect(connections).toHaveLength(1));
    connections[0].stream.write('id: 1\nevent: deleted\ndata: {"session_id":"s1"}\n\n');
    connections[0].stream.close();
    await waitFor(() => expect(events).toEqual([['deleted', { session_id: 's1' }]]));
    await new Promise((r) => setTimeout(r, 60));
    expect(connections).toHaveLength(1);

    refuse = 404;
    const second = follow('/sessions/u1/s2/events');
    await new Promise((r) => setTimeout(r, 60));
    expect(second.events).toEqual([]);
    expect(vi.mocked(fetch).mock.calls.length).toBe(2);
  });

  it('closes the stream when the path changes or the view goes away', async () => {
    const { hook } = follow('/sessions/u1/a/events');
    await waitFor(() => expect(connections).toHaveLength(1));
    hook.rerender({ p: '/sessions/u1/b/events' });
    await waitFor(() => expect(connections).toHaveLength(2));
    expect(connections[1].url).toContain('/sessions/u1/b/events');
    hook.rerender({ p: null });
    hook.unmount();
    await new Promise((r) => setTimeout(r, 60));
    expect(connections).toHaveLength(2);
  });
});
