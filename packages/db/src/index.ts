export { compiledOnce, slot } from './compiled-query.js';
export { observeClient, type StatementObserver } from './observe.js';
export { sqliteDialect } from './sqlite.js';
export { cachedStatements, STATEMENT_CACHE_SIZE } from './statement-cache.js';
