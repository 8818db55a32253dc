import fs from 'node:fs';
import { clearState, readState, stopServer } from './server';

export default async function globalTeardown(): Promise<void> {
  let state;
  try {
    state = readState();
  } catch {
    return;
  }
  await stopServer(state.pid);
  if (process.env.CORA_E2E_KEEP_DATA !== '1') fs.rmSync(state.dataDir, { recursive: true, force: true });
  clearState();
}
