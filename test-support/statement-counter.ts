/**
 * Counts what a database connection was asked to do, from the statements an app's `observe` hook
 * reports (the real driver runs them; this only watches): transactions — each BEGIN … COMMIT, and
 * each statement run outside one (autocommit) — and statements, without BEGIN, COMMIT, ROLLBACK
 * and savepoint bookkeeping.
 */
export class StatementCounter {
  transactions = 0;
  statements = 0;
  /** The SQL counted as statements, in order (for failure messages). */
  readonly log: string[] = [];
  private readonly open = new WeakSet<object>();
  private readonly keepLog: boolean;

  /** `keepLog: false` for long runs (the bench): counts only. */
  constructor(options: { keepLog?: boolean } = {}) {
    this.keepLog = options.keepLog ?? true;
  }

  /** Pass as the database `observe` option. */
  readonly observe = (sql: string, connection: object): void => {
    const head = sql.trimStart().slice(0, 12).toLowerCase();
    if (head.startsWith('begin')) {
      this.transactions++;
      this.open.add(connection);
      return;
    }
    if (head.startsWith('commit') || (head.startsWith('rollback') && !head.startsWith('rollback to'))) {
      this.open.delete(connection);
      return;
    }
    if (head.startsWith('savepoint') || head.startsWith('release') || head.startsWith('rollback to')) return;
    this.statements++;
    if (this.keepLog) this.log.push(sql);
    if (!this.open.has(connection)) this.transactions++;
  };

  reset(): void {
    this.transactions = 0;
    this.statements = 0;
    this.log.length = 0;
  }

  /** Counts over what `fn` does. */
  async during<T>(
    fn: () => Promise<T>,
  ): Promise<{ value: T; transactions: number; statements: number; log: string[] }> {
    this.reset();
    const value = await fn();
    return { value, transactions: this.transactions, statements: this.statements, log: [...this.log] };
  }
}
