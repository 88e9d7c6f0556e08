import { pairwiseSubject } from '../../bindings/binding-urls.js';
import {
  CARD_CONTEXT_LIFETIME_SECONDS,
  type CardContextClaims,
  signCardContext,
} from '../../bindings/card-context-token.js';
import type { PlatformContext } from '../../context.js';
import { randomToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { stateReason } from '../../http/refusal-reasons.js';
import { requireProgram } from '../../programs/program-repository.js';
import { loadOwnCard } from './wallet-cards.js';

export interface DetailLink {
  /** The program's custom detail URL with `context` (the signed card context) added; its own query kept. */
  url: string;
  expiresAt: string;
}

/**
 * `POST /v1/cards/{bindingId}/detail-link` (PROTOCOL.md §7, custom detail page), as a table of steps:
 * the user's own card (4004 unknown or never a card, 4003 another user's) → still ACTIVE (3004) →
 * the program's detail is a custom page (3004 for a template: the wallet renders that itself) →
 * sign a fresh card context with the platform's current key and add it to the page URL.
 */
export async function issueDetailLink(
  ctx: PlatformContext,
  userId: string,
  bindingId: string,
): Promise<DetailLink> {
  const binding = await loadOwnCard(ctx, userId, bindingId);
  if (binding.state !== 'ACTIVE') throw fail('3004', stateReason('card', binding.state));
  const program = await requireProgram(ctx.db, binding.channel_id);
  if (program.detail.kind !== 'custom') throw fail('3004', 'detail_not_custom');
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const claims: CardContextClaims = {
    iss: ctx.config.publicUrl,
    aud: program.channelId,
    sub: pairwiseSubject(ctx.pairwiseKey, program.channelId, userId),
    bindingId: binding.id,
    membershipCode: binding.membership_code ?? '',
    iat,
    exp: iat + CARD_CONTEXT_LIFETIME_SECONDS,
    jti: randomToken(16),
  };
  const url = new URL(program.detail.url);
  url.searchParams.set('context', await signCardContext(claims, ctx.keys.current()));
  return { url: url.href, expiresAt: new Date(claims.exp * 1000).toISOString() };
}
