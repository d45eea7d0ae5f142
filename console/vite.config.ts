import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console's one build: `npm run console:build` (console/build.ts) runs it, checks the
 * types and prints the first-load JavaScript size. Output: console/dist (hashed assets under
 * assets/). No inline script, no eval: the page runs under `script-src 'self'`.
 */
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs (the CSP allows images from 'self' only).
    assetsInlineLimit: 0,
  },
});
