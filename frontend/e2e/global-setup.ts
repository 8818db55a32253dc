import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenshotDir, startServer, stopServer, waitForHealth } from './server';

const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function globalSetup(): Promise<void> {
  // Test the app as shipped: build it into backend/cora/web, which the server serves at /.
  if (process.env.CORA_E2E_SKIP_BUILD !== '1') {
    execSync('npm run build', { cwd: frontendDir, stdio: 'inherit' });
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  const port = Number(process.env.CORA_E2E_PORT);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cora-e2e-'));
  const state = startServer(port, dataDir);
  try {
    await waitForHealth(state.baseURL);
  } catch (err) {
    await stopServer(state.pid);
    throw err;
  }
}
