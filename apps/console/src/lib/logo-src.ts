import type { Program } from '../api/types.js';

/**
 * Where the program's stored logo is served (the public logo route), with the update time as a
 * cache key so a new upload shows at once. Undefined when the API says there is none.
 */
export function logoSrcOf(program: Program, bust?: number): string | undefined {
  if (program.logoUrl === null) return undefined;
  const base = program.logoUrl ?? `/v1/programs/${encodeURIComponent(program.channelId)}/logo`;
  const version = bust ?? program.updatedAt;
  return version === undefined
    ? base
    : `${base}${base.includes('?') ? '&' : '?'}v=${encodeURIComponent(String(version))}`;
}
