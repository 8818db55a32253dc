/** Start, stop and find the real Cora server that the end-to-end tests run against. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const outputDir = path.join(repoRoot, 'test-output');
export const screenshotDir = path.join(outputDir, 'screenshots');
const stateFile = path.join(outputDir, 'e2e-server.json');
const logFile = path.join(outputDir, 'e2e-server.log');

export interface ServerState {
  pid: number;
  port: number;
  dataDir: string;
  baseURL: string;
}

export function coraBinary(): string {
  return process.env.CORA_BIN ?? path.join(repoRoot, '.venv', 'bin', 'cora');
}

export function readState(): ServerState {
  return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ServerState;
}

export function writeState(state: ServerState): void {
  fs.mkdirSync(outputDir, { recursive: true });
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

export function clearState(): void {
  fs.rmSync(stateFile, { force: true });
}

/** Start `cora serve` in its own process group, so it outlives the test worker. */
export function startServer(
  port: number,
  dataDir: string,
  options: { env?: Record<string, string>; record?: boolean } = {},
): ServerState {
  const bin = coraBinary();
  if (!fs.existsSync(bin)) {
    throw new Error(
      `${bin} not found: create the virtualenv first (python3 -m venv .venv && .venv/bin/pip install -e 'backend[dev]', or make install)`,
    );
  }
  fs.mkdirSync(outputDir, { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    bin,
    ['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', log, log],
      detached: true,
      // Every test registers its own users from 127.0.0.1: no per-address registration limit.
      env: { ...process.env, CORA_REGISTRATIONS_PER_HOUR: '0', ...options.env },
    },
  );
  child.unref();
  fs.closeSync(log);
  if (!child.pid) throw new Error('cora serve did not start');
  const state = { pid: child.pid, port, dataDir, baseURL: `http://127.0.0.1:${port}` };
  // The run's main server is recorded for the teardown; an extra one (record: false) is not.
  if (options.record ?? true) writeState(state);
  return state;
}

// Generous, as in the backend's start_server: several workers start slowly on a loaded 2-core machine.
export async function waitForHealth(baseURL: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseURL}/healthz`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`cora serve did not answer /healthz within ${timeoutMs} ms (${String(last)}); see ${logFile}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop the server's process group: SIGTERM, then SIGKILL after a grace period. */
export async function stopServer(pid: number, graceMs = 10_000): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  if (!alive(pid)) return;
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) signalGroup('SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
