import { defaultClientConditions, defineConfig } from 'vite';

// The wallet is served by the platform at /wallet/ (apps/platform/src/routes/web). No React plugin:
// Vite 7's esbuild handles JSX with the automatic runtime. The platform's CSP forbids inline script,
// so the build must not emit any (no module-preload polyfill snippet; checked in test/build-output).
export default defineConfig({
  base: '/wallet/',
  root: import.meta.dirname,
  esbuild: { jsx: 'automatic' },
  // Workspace packages (@mycard/protocol, …) from their TypeScript sources, not their dist/.
  resolve: { conditions: ['@mycard/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
    // react-intl marks its entry "use client" (for React Server Components); a browser bundle has no
    // use for the directive, so Rollup's notice about dropping it is noise.
    rollupOptions: {
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev -w apps/wallet` proxies the API to a platform on :3000.
    proxy: { '/v1': 'http://127.0.0.1:3000', '/wallet/config.json': 'http://127.0.0.1:3000' },
  },
});
