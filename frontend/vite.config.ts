/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = process.env.CORA_DEV_BACKEND ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  build: {
    // The FastAPI server serves this folder at "/".
    outDir: '../backend/cora/web',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/sessions': backend,
      '/auth': backend,
      '/healthz': backend,
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // A shared 2-core machine: a test waits for conditions, generously.
    testTimeout: 30_000,
  },
});
