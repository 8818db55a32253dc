/** A small fetch stand-in for one component's requests: answers by method and path, records bodies. */
import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  body: unknown;
}
type Answer = { status: number; body?: unknown };
type Handler = (call: Call) => Answer;

export function stubFetch(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://cora.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const raw = typeof init.body === 'string' ? init.body : null;
    let body: unknown = raw;
    if (raw !== null) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = Object.fromEntries(new URLSearchParams(raw));
      }
    }
    const call = { method, path: url.pathname, body };
    calls.push(call);
    const handler = routes[`${method} ${url.pathname}`];
    const answer = handler ? handler(call) : { status: 404, body: { detail: 'Not Found' } };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return calls;
}
