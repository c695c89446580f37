// Builds the dashboard into streams-app/target/classes/dashboard, so that Maven packages it into
// the jar under /dashboard and the app's HTTP server serves it at /dashboard/index.html.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const outDir = fileURLToPath(new URL('../../../target/classes/dashboard', import.meta.url));

export default defineConfig({
  // Assets are referenced as /dashboard/assets/..., so the page also works when the server
  // answers / with index.html itself rather than a redirect.
  base: '/dashboard/',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    // No CDN, no external fonts: everything the page needs is in the bundle.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 200,
  },
  server: {
    // `npm run dev`: proxy the API to a running app (NAVSTREAM_API, e.g. http://127.0.0.1:8080).
    proxy: process.env.NAVSTREAM_API
      ? { '/funds': { target: process.env.NAVSTREAM_API, changeOrigin: true } }
      : undefined,
  },
});
