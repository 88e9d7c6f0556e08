import type { PlatformConfig } from '../../config.js';
import { openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { type CliIo, parseJsonFlag } from '../cli-io.js';

/** `mycard migrate`: brings the database to the newest schema (the server also does on start). */
export async function migrate(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  const json = parseJsonFlag(args);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await migrateToLatest(database.db as never);
    const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (json) io.stdout(`${JSON.stringify({ dialect: database.dialect, applied })}\n`);
    else
      io.stdout(
        applied.length
          ? `applied ${applied.join(', ')} (${database.dialect})\n`
          : `database is up to date (${database.dialect})\n`,
      );
    return 0;
  } finally {
    await database.close();
  }
}
