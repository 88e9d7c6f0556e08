import { checkProgramUrl, type ProgramUrlProblem } from '@mycard/protocol';
import { type DetailInput, NewProgramBody } from '@mycard/wire';
import { Value } from 'typebox/value';

/**
 * What a JSON Schema cannot say about program registration input (PROTOCOL.md §7): the URL rules.
 * The shapes themselves are `NewProgramBody` / `ProgramPatchBody` of `@mycard/wire`, shared by the
 * console API (route schemas: validation and OpenAPI) and the CLI (`mycard program create`).
 */

/** The URL fields of a program input, with their JSON paths. */
function urlFields(input: {
  bindingUrl?: string | undefined;
  webhookUrl?: string | null | undefined;
  detail?: DetailInput | undefined;
}): [string, string][] {
  const out: [string, string][] = [];
  if (input.bindingUrl !== undefined) out.push(['/bindingUrl', input.bindingUrl]);
  if (typeof input.webhookUrl === 'string') out.push(['/webhookUrl', input.webhookUrl]);
  if (input.detail?.kind === 'custom') out.push(['/detail/url', input.detail.url]);
  if (input.detail?.kind === 'template') {
    input.detail.links?.forEach((link, i) => {
      out.push([`/detail/links/${i}/url`, link.url]);
    });
  }
  return out;
}

/** The first URL field that fails {@link checkProgramUrl}, as `{path, reason}`, or undefined. */
export function checkProgramUrls(
  input: Parameters<typeof urlFields>[0],
): { path: string; reason: ProgramUrlProblem } | undefined {
  for (const [path, value] of urlFields(input)) {
    const reason = checkProgramUrl(value);
    if (reason) return { path, reason };
  }
  return undefined;
}

/**
 * Validates a new program outside HTTP (the CLI): the same schema the console API uses, then the
 * URL rules. Returns the problems as `path: message` lines; empty when the input is valid.
 */
export function validateNewProgram(input: unknown): string[] {
  if (!Value.Check(NewProgramBody, input)) {
    return [...Value.Errors(NewProgramBody, input)]
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`);
  }
  const bad = checkProgramUrls(input);
  return bad ? [`${bad.path}: URL not allowed (${bad.reason}); use https (http only for localhost)`] : [];
}
