/**
 * A second `cora serve` whose assistant is the OpenAI-compatible one (`CORA_ASSISTANT=openai`),
 * talking to a slow stand-in model served by the test on loopback: one word every `wordMs`.
 * The FAQ assistant answers in milliseconds, too fast to stop, reload or kill mid-reply.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort, startServer, stopServer, waitForHealth, type ServerState } from './server';

/** The reply the stand-in streams: "word1 word2 … word<count>". */
export function slowReply(count: number): string {
  return Array.from({ length: count }, (_, i) => `word${i + 1}`).join(' ');
}

/** `/v1/chat/completions` streaming `words` words, one every `wordMs`; it stops when the client goes. */
function slowModel(words: number, wordMs: number): http.Server {
  return http.createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error": {"message": "not found"}}');
      return;
    }
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-e2e',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'slow',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    let i = 0;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    const timer = setInterval(() => {
      if (i < words) {
        res.write(chunk({ content: `${i === 0 ? '' : ' '}word${i + 1}` }, null));
        i += 1;
      } else {
        clearInterval(timer);
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
      }
    }, wordMs);
    res.on('close', () => clearInterval(timer));
  });
}

export interface SlowCoraOptions {
  /** Words in each reply. */
  words: number;
  wordMs?: number;
  /** More settings for the server (e.g. a short reply lease). */
  env?: Record<string, string>;
  /** Names its temporary data directory. */
  name: string;
}

/** The stand-in model and a `cora serve` using it, on a data directory of their own. */
export class SlowCora {
  server!: ServerState;
  private model!: http.Server;
  private modelPort = 0;
  private dataDir = '';

  constructor(private readonly options: SlowCoraOptions) {}

  get baseURL(): string {
    return this.server.baseURL;
  }

  private env(): Record<string, string> {
    return {
      CORA_ASSISTANT: 'openai',
      CORA_OPENAI_BASE_URL: `http://127.0.0.1:${this.modelPort}/v1`,
      CORA_OPENAI_MODEL: 'slow',
      ...this.options.env,
    };
  }

  async start(): Promise<void> {
    this.model = slowModel(this.options.words, this.options.wordMs ?? 100);
    // Port 0: the system picks a free one as it binds (no gap for another process to take it).
    await new Promise<void>((resolve) => this.model.listen(0, '127.0.0.1', resolve));
    const address = this.model.address();
    this.modelPort = typeof address === 'object' && address ? address.port : 0;
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cora-e2e-${this.options.name}-`));
    this.server = startServer(await freePort(), this.dataDir, { record: false, env: this.env() });
    await waitForHealth(this.server.baseURL);
  }

  /** Kill the server (SIGKILL, no clean shutdown) and start it again on the same port and data. */
  async killAndRestart(): Promise<void> {
    try {
      process.kill(-this.server.pid, 'SIGKILL');
    } catch {
      process.kill(this.server.pid, 'SIGKILL');
    }
    await stopServer(this.server.pid);
    this.server = startServer(this.server.port, this.dataDir, { record: false, env: this.env() });
    await waitForHealth(this.server.baseURL);
  }

  async stop(): Promise<void> {
    if (this.server) await stopServer(this.server.pid);
    if (this.model) {
      await new Promise((resolve) => this.model.close(resolve));
      this.model.closeAllConnections?.();
    }
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
