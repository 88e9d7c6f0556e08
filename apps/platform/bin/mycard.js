#!/usr/bin/env node
// The `mycard` command: dist/ in production, the TypeScript sources through tsx in development.
import { runEntry } from './run-entry.js';

await runEntry(new URL('../', import.meta.url), { source: 'src/cli/main.ts', dist: 'dist/cli/main.js' });
