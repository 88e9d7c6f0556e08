import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findDuplicateJsonKey } from './duplicate-json-key.js';
import { fail } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received: merchant signatures cover these bytes (PROTOCOL.md §3). */
    rawBody?: Buffer;
  }
}

/**
 * Text the platform accepts in any request string (JSON keys and values, query values, path
 * parameters): no NUL (PostgreSQL cannot store it, SQLite would truncate at it) and no lone UTF-16
 * surrogate (it cannot be encoded as UTF-8, so the stored text would differ from what was sent).
 * Such input is refused with 2101 rather than silently changed (PROTOCOL.md §1).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isSafeText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** Keys that would reach an object's prototype if a body were ever merged into another object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalidJson(message: string) {
  return Object.assign(new Error(message), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
}

/** Rejects prototype keys and unsafe text anywhere in a parsed JSON value (JSON.parse reviver). */
function reviver(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key) || !isSafeText(key)) throw invalidJson('forbidden JSON key');
  if (typeof value === 'string' && !isSafeText(value)) throw invalidJson('unsafe text in JSON string');
  return value;
}

/**
 * Whether the reviver has anything to find in `text` (decoded with `fatal`, so valid UTF-8). A NUL or
 * a lone surrogate can only be written as a `\u` escape (raw control characters are invalid JSON,
 * and valid UTF-8 holds no surrogates), and a forbidden key only as its own letters or with escapes.
 * Most bodies have neither, and JSON.parse without a reviver is several times faster (issue 10).
 */
function mayHoldRefusedText(text: string): boolean {
  return text.includes('\\u') || FORBIDDEN_KEY_TEXT.test(text);
}
const FORBIDDEN_KEY_TEXT = /__proto__|constructor|prototype/;

/**
 * JSON parser that keeps the raw bytes beside the parsed value, so HMAC verification runs on what
 * was sent, never on a re-serialised body. It replaces Fastify's own parser, so it also takes over
 * its protections: the bytes must be valid UTF-8, and `__proto__` / `constructor` / `prototype`
 * keys are refused (2101) wherever they appear, as is text {@link isSafeText} refuses.
 */
export function installRawJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) {
      done(
        Object.assign(new Error('empty JSON body'), { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY' }),
      );
      return;
    }
    let parsed: unknown;
    let text: string;
    try {
      text = utf8.decode(raw);
      parsed = JSON.parse(text, mayHoldRefusedText(text) ? reviver : undefined);
    } catch {
      done(invalidJson('invalid JSON body'));
      return;
    }
    // One body, one meaning: a key twice in one object is refused (issue 9.8).
    if (findDuplicateJsonKey(text) !== undefined) {
      done(invalidJson('duplicate JSON key'));
      return;
    }
    done(null, parsed);
  });
  // Query strings and path parameters are text too: the same rule, checked after authentication
  // and schema validation (preHandler), so an unauthenticated caller learns nothing new.
  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    for (const source of [request.query, request.params]) {
      if (!source || typeof source !== 'object') continue;
      for (const value of Object.values(source as Record<string, unknown>)) {
        const values = Array.isArray(value) ? value : [value];
        if (values.some((v) => typeof v === 'string' && !isSafeText(v))) throw fail('2101', 'unsafe_text');
      }
    }
  });
}
