import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message, SessionSummary } from '../api';
import { FakeServer } from '../test/fakeServer';
import { useChatTurn, type ChatTurnOptions } from './useChatTurn';

const USER = 'alice';
const CHAT = /^\/sessions\/alice\/[^/]+\/chat$/;
let server: FakeServer;
let answers = 0;

beforeEach(() => {
  answers = 0;
  server = new FakeServer({ reply: (text) => `Answer ${++answers} about ${text}. ` }).install();
});

function stored(texts: [Message['sender'], string][]): Message[] {
  return texts.map(([sender, text], i) => ({
    id: crypto.randomUUID(),
    sender,
    text,
    timestamp: `2026-11-20T09:00:0${i}.000000Z`,
    metadata: {},
    status: 'complete',
  }));
}

/** The hook over a chat loaded from the fake server; `summary` is what the list would show. */
async function renderChat(messages: Message[] = [], options: ChatTurnOptions = {}) {
  const session = server.addSession(USER, { messages });
  let summary: SessionSummary = { ...session };
  const touchSummary = vi.fn((_id: string, change: (s: SessionSummary) => SessionSummary) => {
    summary = change(summary);
  });
  const view = renderHook(() => useChatTurn(USER, { touchSummary, ...options }));
  await act(() => view.result.current.loadThread(session.session_id));
  const id = session.session_id;
  const shown = () => view.result.current.threads[id].messages;
  return { ...view, id, shown, summary: () => summary };
}

describe('useChatTurn', () => {
  it('sends: the message and an empty reply at once, then the streamed reply, stored', async () => {
    const { result, id, shown, summary } = await renderChat();
    act(() => void result.current.send(id, 'What is a deductible?'));

    expect(shown().map((m) => [m.sender, m.status, m.text])).toEqual([
      ['user', 'sending', 'What is a deductible?'],
      ['assistant', 'streaming', ''],
    ]);
    expect(result.current.streamingIds.has(id)).toBe(true);
    expect(summary().title).toBe('What is a deductible?');

    await waitFor(() => expect(result.current.streamingIds.has(id)).toBe(false));
    const storedMessages = server.sessions.get(id)!.messages;
    expect(shown().map((m) => [m.id, m.status, m.text])).toEqual(
      storedMessages.map((m) => [m.id, 'sent', m.text]),
    );
    expect(shown()[1].text).toBe('Answer 1 about What is a deductible?. ');
    // The message id is the client's: the key shown is the id sent and stored.
    expect(server.requests.find((r) => CHAT.test(r.path))?.body).toMatchObject({ id: shown()[0].key });
    expect(summary().message_count).toBe(2);
    expect(summary().updated_at).toBe(storedMessages[1].timestamp);
  });

  it('streams the reply piece by piece, and Stop keeps the text so far, stored as stopped', async () => {
    server.slowReplies = true;
    const { result, id, shown } = await renderChat();
    act(() => void result.current.send(id, 'Tell me everything'));
    await waitFor(() => expect(shown()[1].text).toBe('Answer '));
    expect(shown().map((m) => m.status)).toEqual(['sent', 'streaming']);
    expect(result.current.isStopping(id)).toBe(false);

    act(() => result.current.stop(id));
    expect(result.current.isStopping(id)).toBe(true);
    expect(shown()[1].status).toBe('stopping');

    await waitFor(() => expect(result.current.streamingIds.has(id)).toBe(false));
    expect(server.count('POST', /\/chat\/stop$/)).toBe(1);
    expect(shown()[1]).toMatchObject({ status: 'sent', stopped: true, text: 'Answer ' });
    expect(server.sessions.get(id)!.messages[1]).toMatchObject({ text: 'Answer ', metadata: { stopped: true } });
    expect(result.current.isStopping(id)).toBe(false);
  });

  it('Stop before the server confirmed the message: nothing stored, the message can be retried', async () => {
    const { result, id, shown } = await renderChat();
    const release = server.holdNext('POST', CHAT);
    act(() => void result.current.send(id, 'Hello'));
    act(() => result.current.stop(id));
    release();
    await waitFor(() => expect(result.current.streamingIds.has(id)).toBe(false));
    expect(shown()).toEqual([
      expect.objectContaining({ sender: 'user', status: 'failed', error: 'stopped before the server confirmed it' }),
    ]);
    expect(server.sessions.get(id)!.messages).toHaveLength(0);
  });

  it('Stop before the answer came, of a message the server stored after all: the chat shows what it stored', async () => {
    const { result, id, shown } = await renderChat();
    server.holdAnswerNext('POST', CHAT); // stored and answered, the answer never reaches the tab
    act(() => void result.current.send(id, 'Hello'));
    await waitFor(() => expect(server.sessions.get(id)!.messages).toHaveLength(2));
    act(() => result.current.stop(id));
    await waitFor(() => expect(shown().map((m) => [m.sender, m.status])).toEqual([
      ['user', 'sent'],
      ['assistant', 'sent'],
    ]));
    expect(shown().map((m) => m.text)).toEqual(server.sessions.get(id)!.messages.map((m) => m.text));
  });

  it('retries a message that failed to reach the server with the same id, stored once', async () => {
    const { result, id, shown } = await renderChat();
    server.failNext('POST', CHAT, 'network');
    await act(() => result.current.send(id, 'Is hail covered?'));
    expect(shown()).toHaveLength(1);
    expect(shown()[0]).toMatchObject({ status: 'failed', text: 'Is hail covered?' });
    expect(shown()[0].error).toBeTruthy();
    expect(server.sessions.get(id)!.messages).toHaveLength(0);

    const key = shown()[0].key;
    act(() => result.current.retry(id, key));
    await waitFor(() => expect(result.current.streamingIds.has(id)).toBe(false));
    expect(shown().map((m) => [m.sender, m.status])).toEqual([
      ['user', 'sent'],
      ['assistant', 'sent'],
    ]);
    expect(shown()[0]).toMatchObject({ key, id: key, error: undefined });
    const sent = server.requests.filter((r) => CHAT.test(r.path)).map((r) => (r.body as { id: string }).id);
    expect(sent).toEqual([key, key]);
    expect(server.sessions.get(id)!.messages.map((m) => m.sender)).toEqual(['user', 'assistant']);
  });

  it('keeps the stored message and says so when the assistant fails', async () => {
    const { result, id, shown, summary } = await renderChat();
    server.assistantFailure = 'The assistant is unavailable';
    await act(() => result.current.send(id, 'Hello'));
    expect(shown().map((m) => [m.sender, m.status])).toEqual([
      ['user', 'sent'],
      ['assistant', 'error'],
    ]);
    expect(shown()[1].error).toBe('the assistant is not available right now');
    expect(summary().message_count).toBe(1);
  });

  it('gives a message over the length limit back, with the reason, instead of a failed bubble', async () => {
    const { result, id, shown } = await renderChat();
    server.failNext('POST', CHAT, { status: 413, detail: 'The message is too long: the limit is 40 characters' });
    await act(() => result.current.send(id, 'x'.repeat(50)));
    expect(shown()).toEqual([]);
    expect(result.current.returned).toEqual({
      sessionId: id,
      text: 'x'.repeat(50),
      reason: expect.stringContaining('too long (at most 40 characters)'),
    });
  });

  it('sends nothing blank, and nothing while a reply is being written in the chat', async () => {
    server.slowReplies = true;
    const { result, id, shown } = await renderChat();
    await act(() => result.current.send(id, '   '));
    expect(shown()).toEqual([]);
    act(() => void result.current.send(id, 'First'));
    await waitFor(() => expect(shown()[1].text).toBe('Answer '));
    await act(() => result.current.send(id, 'Second'));
    expect(shown().map((m) => m.text)).toEqual(['First', 'Answer ']);
    expect(server.count('POST', CHAT)).toBe(1);
    act(() => result.current.stop(id));
    await waitFor(() => expect(result.current.streamingIds.has(id)).toBe(false));
  });

  it('regenerates the last reply: a new one streamed below the one shown', async () => {
    const { result, id, shown } = await renderChat(stored([['user', 'Claims?'], ['assistant', 'Old answer']]));
    act(() => void result.current.regenerate(id));
    expect(shown().map((m) => [m.sender, m.status, m.text])).toEqual([
      ['user', 'sent', 'Claims?'],
      ['assistant', 'sent', 'Old answer'],
      ['assistant', 'streaming', ''],
    ]);
    expect(result.current.streamingIds.has(id)).toBe(true);

    await waitFor(() => expect(result.current.streamingIds.has(id)).toBe(false));
    const storedReply = server.sessions.get(id)!.messages[2];
    expect(shown().map((m) => [m.status, m.text])).toEqual([
      ['sent', 'Claims?'],
      ['sent', 'Old answer'],
      ['sent', 'Answer 1 about Claims?. '],
    ]);
    expect(shown()[2].id).toBe(storedReply.id);
  });

  it('says why when a regenerate cannot start, and leaves the conversation as it was', async () => {
    const onNotice = vi.fn();
    const { result, id, shown } = await renderChat(stored([['user', 'Claims?'], ['assistant', 'Old answer']]), {
      onNotice,
    });
    server.failNext('POST', /\/chat\/regenerate$/, { status: 409, detail: 'A reply is being written' });
    await act(() => result.current.regenerate(id));
    expect(onNotice).toHaveBeenCalledTimes(1);
    expect(onNotice.mock.calls[0][0]).toMatch(/^Couldn’t regenerate the reply: Cora is still writing a reply in this chat/);
    expect(shown().map((m) => m.text)).toEqual(['Claims?', 'Old answer']);
    expect(result.current.streamingIds.size).toBe(0);
  });

  it('aborts the replies being written when it goes away', async () => {
    server.slowReplies = true;
    const { result, id, shown, unmount } = await renderChat();
    act(() => void result.current.send(id, 'Hello'));
    await waitFor(() => expect(shown()[1].text).toBe('Answer '));
    const request = vi.mocked(fetch).mock.calls.find(([url]) => CHAT.test(new URL(String(url), 'http://x').pathname));
    unmount();
    expect(request?.[1]?.signal?.aborted).toBe(true);
  });

  it('catches up once the live stream opens: adds what another tab stored, ends a finished reply, cuts nothing', async () => {
    const earlier = stored([
      ['user', 'Is hail covered?'],
      ['assistant', 'Usually, by comprehensive'],
      ['user', 'And my roof?'],
      ['assistant', 'Roof damage from'],
    ]);
    const live = { ...earlier[3], status: 'streaming' as const };
    const { result, id, shown } = await renderChat([...earlier.slice(0, 3), live]);
    const storedMessages = server.sessions.get(id)!.messages;
    // Between this tab's read and its stream: the reply ended, and another tab asked again.
    storedMessages[3] = { ...live, text: 'Roof damage from hail is usually covered.', status: 'complete' };
    const asked = stored([['user', 'What about my car?']])[0];
    storedMessages.push(asked);

    await act(() => result.current.catchUp(id));
    expect(shown().map((m) => [m.id, m.status, m.text])).toEqual([
      ...earlier.slice(0, 3).map((m) => [m.id, 'sent', m.text]),
      [live.id, 'sent', 'Roof damage from hail is usually covered.'],
      [asked.id, 'sent', 'What about my car?'],
    ]);

    // A reply still streaming keeps the text its stream has added beyond the stored copy.
    const next = { ...stored([['assistant', 'Collision']])[0], status: 'streaming' as const };
    storedMessages.push(next);
    await act(() => result.current.catchUp(id));
    act(() => result.current.applyLiveEvent(id, 'delta', { message_id: next.id, text: ' or comprehensive' }));
    await act(() => result.current.catchUp(id));
    expect(shown().map((m) => m.text)).toEqual([
      ...earlier.slice(0, 3).map((m) => m.text),
      'Roof damage from hail is usually covered.',
      'What about my car?',
      'Collision or comprehensive',
    ]);
    expect(shown().at(-1)?.status).toBe('streaming');
  });
});
