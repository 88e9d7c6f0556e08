import { checkNonceTime, isValidNonce, SIGNATURE_HEADERS, verifyRequestSignature } from '@mycard/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.js';
import { findParticipantByChannel, type Participant } from '../groups/participant-repository.js';
import { fail } from '../http/errors.js';
import { activeChannelKeys, getProgramForMerchantCall } from '../programs/channel-secret-cache.js';
import { type Program, requireProgram } from '../programs/program-repository.js';
import { PendingNonce, recordNonce } from './nonce-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated merchant's program, set by the HMAC hook on merchant routes. */
    merchantProgram?: Program;
    /**
     * Set when the caller is a group participant's channel (PROTOCOL.md §8); `merchantProgram` is
     * then the group program whose cards it may look up.
     */
    merchantParticipant?: Participant;
    /**
     * Set on routes with `nonceInStep`: the call's nonce, not stored yet — the step stores it in its
     * own transaction, or the merchant scope's error handler on its own (see PendingNonce).
     */
    merchantNonce?: PendingNonce;
  }
  interface FastifyContextConfig {
    /** The route may be called by group participants' channels (PROTOCOL.md §8); others are 1103. */
    participantChannels?: boolean;
    /**
     * The route's step stores the nonce in its own transaction (`request.merchantNonce`), so the
     * call makes one durable commit. Refusals and their order stay those of the hook.
     */
    nonceInStep?: boolean;
  }
}

const CHANNEL_ID = /^[0-9]{10}$/;
const HEADER = {
  channelId: SIGNATURE_HEADERS.channelId.toLowerCase(),
  nonce: SIGNATURE_HEADERS.nonce.toLowerCase(),
  signature: SIGNATURE_HEADERS.signature.toLowerCase(),
} as const;

/**
 * The merchant HMAC authentication of PROTOCOL.md §3, as a `preValidation` hook: it runs after the
 * raw body was read and before schema validation, so the signature covers the bytes as sent and
 * an unauthenticated caller learns nothing about the schema. Steps:
 * headers well-formed (1106) → channel not blocked for failed signatures (4029) → channel known
 * (1101) → signature against every active secret, constant time (1106, one code for every
 * signature failure; counts towards the block) → time-based nonce within ±300 s (1108) → nonce
 * stored once per channel (1108 on replay; on `nonceInStep` routes in the step's transaction) →
 * channel usable (1102: SUSPENDED) → a group participant's channel (PROTOCOL.md §8: its own id and secrets, its group program's cards) is usable
 * when both it and its program are not SUSPENDED (1102) and only on routes marked
 * `participantChannels` (1103 elsewhere: Apply, profile, unbind, messages…, failing closed).
 */
export function createMerchantAuth(ctx: PlatformContext) {
  // The lockout of a channel id after failed signatures, shared by every instance (a channel
  // locked out on one is locked out on all). It fails open while the store is down: the HMAC
  // check itself still guards the door.
  const failures = ctx.limits.limiter({
    name: 'signature-failures',
    limit: ctx.config.rateLimits.signatureFailuresPerMinute,
    windowMs: 60_000,
    onOutage: 'open',
  });
  return async function merchantAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const [path, query = ''] = splitUrl(request.url);
    // The signature covers the path as sent; the router decodes it. Only the route's own spelling
    // is served, so what was signed is what was routed (no `%70rofile` aliases).
    if (path !== routedPath(request)) throw fail('4004', 'path_not_canonical');
    const channelId = header(request, HEADER.channelId);
    const nonce = header(request, HEADER.nonce);
    const signature = header(request, HEADER.signature);
    if (!channelId || !CHANNEL_ID.test(channelId) || !nonce || !isValidNonce(nonce) || !signature) {
      throw fail('1106', 'auth_headers_malformed');
    }
    const block = await failures.blocked(channelId);
    if (block.blocked) {
      reply.header('retry-after', String(block.retryAfter));
      throw fail('4029', 'signature_failures');
    }
    const found = await getProgramForMerchantCall(ctx.db, channelId);
    // Not a program's channel: maybe a group participant's (PROTOCOL.md §8), with its own secrets.
    const participant = found ? undefined : await findParticipantByChannel(ctx.db, channelId);
    const program =
      found?.program ?? (participant && (await requireProgram(ctx.db, participant.programChannelId)));
    if (!program) throw fail('1101', 'channel_unknown');
    const secretsVersion = found?.secretsVersion ?? participant?.secretsVersion ?? 0;
    const index = await verifyRequestSignature({
      channelSecrets: await activeChannelKeys(ctx, channelId, secretsVersion),
      path,
      payload: request.method === 'GET' ? query : (request.rawBody ?? new Uint8Array()),
      nonce,
      signature,
    });
    if (index < 0) {
      await failures.hit(channelId);
      throw fail('1106', 'signature_mismatch');
    }
    checkNonceTime(nonce, ctx.now());
    const refusal = refusalAfterNonce(request, program, participant);
    if (refusal || request.routeOptions.config.nonceInStep !== true) {
      // Stored here, before the refusal: a replay is 1108 whatever else would be said.
      await recordNonce(ctx, channelId, nonce);
      if (refusal) throw refusal;
    } else {
      request.merchantNonce = new PendingNonce(ctx, channelId, nonce);
    }
    if (participant) request.merchantParticipant = participant;
    request.merchantProgram = program;
  };
}

/** What the hook refuses once the signature and the nonce passed (1102, 1103), if anything. */
function refusalAfterNonce(
  request: FastifyRequest,
  program: Program,
  participant: Participant | undefined,
): Error | undefined {
  // DRAFT programs work for merchant calls: their bindings can only come from testers anyway.
  if (program.status === 'SUSPENDED') return fail('1102', 'channel_suspended');
  if (participant) {
    if (participant.status === 'SUSPENDED') return fail('1102', 'participant_suspended');
    if (request.routeOptions.config.participantChannels !== true) return fail('1103', 'participant_channel');
  }
  return undefined;
}

/**
 * For the merchant scope's error handler: a call answered with an error stores its pending nonce
 * first (PendingNonce.settle); a nonce used meanwhile turns the answer into 1108.
 */
export async function settleMerchantNonce(request: FastifyRequest, err: unknown): Promise<unknown> {
  const pending = request.merchantNonce;
  if (!pending || pending.settled) return err;
  return (await pending.settle()) ?? err;
}

/**
 * The channel that signed the request: the program's own, or a group participant's (PROTOCOL.md §8).
 * One-time key uses and lookup failures count per calling channel.
 */
export function callerChannelIdOf(request: FastifyRequest): string {
  return request.merchantParticipant?.channelId ?? merchantProgramOf(request).channelId;
}

/** The authenticated program of a merchant route (the hook guarantees one). */
export function merchantProgramOf(request: FastifyRequest): Program {
  if (!request.merchantProgram) throw fail('1106', 'not_authenticated');
  return request.merchantProgram;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}

/**
 * The route's path with its parameters filled in: the only spelling of it that is served. This
 * hook runs on matched routes only, which always have a URL; without one nothing can match.
 */
function routedPath(request: FastifyRequest): string | undefined {
  const params = (request.params ?? {}) as Record<string, string>;
  return request.routeOptions.url?.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => params[name] ?? '');
}

/** The path as sent and the query string without `?` (§3: GET signs the query as sent). */
function splitUrl(url: string): [string, string?] {
  const i = url.indexOf('?');
  return i < 0 ? [url] : [url.slice(0, i), url.slice(i + 1)];
}
