import type { Actor } from '../../audit/actor.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { type LogoType, saveProgramLogo } from '../program-logo.js';
import { type Program, type ProgramChanges, updateProgram } from '../program-repository.js';
import { isApproved } from '../program-status.js';
import { reviewRequired } from './review-repository.js';
import { changedReviewedFields, stageRevision } from './stage-revision.js';

/**
 * An operator's edit of a program (PATCH), routed by review (PROTOCOL.md §7): with review off, or
 * while the program is a DRAFT, everything applies at once. With review required, a LIVE (or
 * SUSPENDED) program's changed name, binding URL and detail page become its pending revision while
 * the other fields (colours, webhook URL) apply at once; while IN_REVIEW, changing a reviewed
 * field is refused (3004: withdraw the request first), so what the administrator approves is what
 * they saw.
 */
export async function saveProgramChanges(
  ctx: PlatformContext,
  actor: Actor,
  program: Program,
  changes: ProgramChanges,
): Promise<Program> {
  if (!reviewRequired(ctx.config) || program.status === 'DRAFT') {
    return updateProgram(ctx, program.channelId, changes, actor);
  }
  const { name, bindingUrl, detail, ...direct } = changes;
  const reviewed = {
    ...(name !== undefined ? { name } : {}),
    ...(bindingUrl !== undefined ? { bindingUrl } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
  const changed = changedReviewedFields(program, reviewed);
  if (program.status === 'IN_REVIEW' && Object.keys(changed).length > 0)
    throw fail('3004', 'program_in_review');
  const updated =
    Object.keys(direct).length > 0 ? await updateProgram(ctx, program.channelId, direct, actor) : program;
  if (isApproved(program.status) && Object.keys(reviewed).length > 0) {
    await stageRevision(ctx, actor, program, { changes: reviewed });
  }
  return updated;
}

/**
 * An operator's logo upload, routed the same way: a LIVE (or SUSPENDED) program's new logo waits in
 * the pending revision when review is required; refused while IN_REVIEW (3004).
 */
export async function saveLogoChange(
  ctx: PlatformContext,
  actor: Actor,
  program: Program,
  contentType: LogoType,
  data: Buffer,
): Promise<'saved' | 'pending'> {
  if (!reviewRequired(ctx.config) || program.status === 'DRAFT') {
    await saveProgramLogo(ctx, program.channelId, contentType, data);
    return 'saved';
  }
  if (program.status === 'IN_REVIEW') throw fail('3004', 'program_in_review');
  await stageRevision(ctx, actor, program, { changes: {}, logo: { contentType, data } });
  return 'pending';
}
