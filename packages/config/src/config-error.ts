/**
 * A configuration that cannot start: every problem found, one line each, naming the variable (or
 * config key), what is wrong with the value and what is allowed. Thrown at start, before anything
 * listens or writes.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One line per problem, as in the message. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.length === 1 ? (list[0] ?? '') : `${list.length} problems:\n  ${list.join('\n  ')}`);
    this.problems = list;
  }
}
