#!/usr/bin/env node
// The `mycard` command. The platform runs from its TypeScript sources (no build step): register
// tsx's ESM loader, then hand over to the CLI.
import { register } from 'tsx/esm/api';

const unregister = register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// The loader keeps a channel to its hooks thread open; release it so the process ends by itself.
await unregister();
// Should another handle linger anyway, do not hang.
setTimeout(() => process.exit(code), 2000).unref();
