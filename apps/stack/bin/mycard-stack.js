#!/usr/bin/env node
// `npm start`: the whole system (platform + reference merchant). dist/ in production, the TypeScript
// sources through tsx in development.
import { runEntry } from '@mycard/platform/run-entry';

await runEntry(new URL('../', import.meta.url), { source: 'src/main.ts', dist: 'dist/main.js' });
