import type { ProgramSummary } from '../api/types.js';

/**
 * Programs seen in the last search, so the program page opens instantly. The API has no
 * single-program endpoint; on a deep link the page searches the list instead.
 */
const seen = new Map<string, ProgramSummary>();

export function rememberPrograms(programs: ProgramSummary[]): ProgramSummary[] {
  for (const program of programs) seen.set(program.channelId, program);
  return programs;
}

export function rememberedProgram(channelId: string): ProgramSummary | undefined {
  return seen.get(channelId);
}
