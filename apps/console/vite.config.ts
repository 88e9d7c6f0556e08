import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// The platform serves the built console at /console/ from apps/console/dist (see the platform's
// static route). JSX through esbuild's automatic runtime: no React plugin (it needs Vite 8).
// The build emits external scripts only, so the page runs under a CSP without 'unsafe-inline'.
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  // Workspace packages (@mycard/protocol, …) from their TypeScript sources, not their dist/.
  resolve: { conditions: ['@mycard/source', ...defaultClientConditions] },
  // A build is a production build even when started from a test runner (NODE_ENV=test): React's
  // development build must never ship.
  ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No modulepreload polyfill: it would be an inline script in some setups; modern browsers need none.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    // bwip-js (all symbologies) is one ~1 MB lazy chunk, loaded only where a barcode is drawn.
    chunkSizeWarningLimit: 1100,
    // react-intl marks its entry "use client" (for React Server Components); a browser bundle has no
    // use for the directive, so Rollup's notice about dropping it is noise.
    rollupOptions: {
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev -w apps/console` against a platform on :3000.
    proxy: { '/v1': 'http://127.0.0.1:3000', '/.well-known': 'http://127.0.0.1:3000' },
  },
}));
