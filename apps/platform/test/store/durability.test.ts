import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';

describe('platform SQLite commits are durable (issue 9.6, PROTOCOL.md §10)', () => {
  it('runs WAL with synchronous=FULL on its own connection', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mycard-durable-'));
    const handle = openDatabase({ databaseUrl: '', dataDir });
    try {
      // 2 = FULL (1 = NORMAL would lose acknowledged commits on power failure).
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db);
      expect(sync.rows[0]?.synchronous).toBe(2);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(handle.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
    } finally {
      await handle.close();
    }
    // The file itself is a WAL database another connection can read (nothing held in memory only).
    const reader = new SQLite(join(dataDir, 'platform.db'), { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
