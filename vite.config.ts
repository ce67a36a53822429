import { defineConfig } from 'vite';

// The web front end lives in web/; the C++ server serves web/dist (`ratusha serve --web-dir`).
// JSX is compiled by Vite's built-in transformer with Preact's automatic runtime, so no
// framework plugin is needed.
export default defineConfig({
  root: 'web',
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The server's CSP allows only same-origin scripts and styles: never inline assets as
    // <script>/<style>; small images may still become data: URLs (img-src allows data:).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite` during development: forward the API to a locally running `ratusha serve`.
    proxy: { '/api': process.env.RATUSHA_URL ?? 'http://127.0.0.1:8080' },
  },
});
