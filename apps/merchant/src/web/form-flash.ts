import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MerchantContext } from '../context.js';
import type { MessageKey } from './messages/en.js';
import { cookieOptions } from './request-context.js';

const FLASH_COOKIE = 'merchant_flash';
/** Long enough for the redirect that follows, short enough not to linger. */
const FLASH_SECONDS = 120;

/** What a refused form post hands to the page it redirects to (never a password). */
export interface FormFlash {
  error: MessageKey;
  /** Which form on the page it belongs to. */
  form?: string;
  login?: string;
  /** The POS login's store choice (a group's shop). */
  store?: string;
  displayName?: string;
  /** For the bind page: the apply failure's reason. */
  reason?: string;
}

/**
 * Post/redirect/get (issue 11 item 9): a form post the server refuses answers 303 to the page the
 * form is on, carrying the error and what the member typed in a signed, HttpOnly, short-lived
 * cookie read once by the next page. Back and reload then never resubmit a form.
 */
export function redirectWithFlash(
  ctx: MerchantContext,
  reply: FastifyReply,
  location: string,
  flash: FormFlash,
): FastifyReply {
  const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  reply.setCookie(FLASH_COOKIE, value, cookieOptions(ctx, { signed: true, maxAge: FLASH_SECONDS }));
  return reply.code(303).header('location', location).send();
}

/** The flash the previous post left for this page, cleared as it is read; undefined when none. */
export function takeFlash(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: MerchantContext,
): FormFlash | undefined {
  const raw = request.cookies[FLASH_COOKIE];
  if (raw === undefined) return undefined;
  reply.clearCookie(FLASH_COOKIE, cookieOptions(ctx));
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as FormFlash).error !== 'string') {
      return undefined;
    }
    return parsed as FormFlash;
  } catch {
    return undefined;
  }
}
