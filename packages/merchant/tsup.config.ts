import { defineConfig } from 'tsup';

// The SDK ships as one self-contained package (docs/protocol-notes.md, "The merchant SDK package"):
// ESM + CommonJS + .d.ts, with @mycard/protocol (unpublished) and the few jose functions it uses
// for test tokens bundled in, so a merchant installs one thing with no runtime dependency.
// tsup (esbuild for the code, rollup-plugin-dts for the types) because it writes both formats and
// bundles the declarations of a workspace package in one step; tsdown needs Node 22.18+, plain
// tsc cannot bundle, and the SDK supports Node 20.19+.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  // No node:* built-ins: the SDK runs in Node, Deno, Bun, browsers and edge runtimes.
  platform: 'neutral',
  target: 'es2022',
  outDir: 'dist',
  clean: true,
  splitting: false,
  sourcemap: false,
  treeshake: true,
  noExternal: ['@mycard/protocol', 'jose'],
  tsconfig: 'tsconfig.build.json',
  // The declarations of @mycard/protocol are inlined through tsconfig.build.json's `paths`.
  dts: true,
  esbuildOptions(options) {
    options.conditions = ['@mycard/source', 'import', 'default'];
    options.mainFields = ['module', 'main'];
    options.legalComments = 'eof';
  },
});
