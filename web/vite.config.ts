import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The embedded admin: built to web/dist and served by the hapi server under /app. */
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  logLevel: 'warn',
});
