import {
  type ErrorEnvelope,
  type ErrorReturnCode,
  errorEnvelope,
  isReturnCode,
  MyCardError,
  RETURN_CODES,
} from '@mycard/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RefusalReason } from './refusal-reasons.js';

/**
 * Throws a protocol error from a route or flow: `throw fail('3004', 'binding_state')`.
 * `reason` is one of {@link REFUSAL_REASONS} under `returnCode`, for logs and tests; `detail` says more
 * in the log. The wire carries only the returnCode and its registry message.
 */
export function fail<C extends ErrorReturnCode>(
  returnCode: C,
  reason: RefusalReason<C>,
  detail?: string,
): MyCardError {
  return new MyCardError(returnCode, reason, detail);
}

/**
 * A dependency the request needs (the database, the rate-limit store) is unreachable: 503 with the
 * 9000 envelope and `Retry-After`, so balancers and clients retry rather than report a bug, and no
 * detail leaks (PROTOCOL.md §2: 9000 carries none).
 */
export class UnavailableError extends MyCardError {
  override name = 'UnavailableError';
  override readonly status: number = 503;
  constructor(code: RefusalReason<'9000'>, options?: { cause?: unknown }) {
    super('9000', code, undefined, options);
  }
}

/** Seconds a client is asked to wait after a 503. */
const RETRY_AFTER_UNAVAILABLE = 2;

/** PostgreSQL SQLSTATE classes that mean "the database cannot answer now", not a bug. */
const PG_UNAVAILABLE = /^(08|53|57P0[1-3]|57014)/;

/**
 * True when `err` says the database is unreachable or stopped answering: connection refused or
 * reset, the pool's connect timeout, a statement or query timeout, the server shutting down.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code)) return true;
  if (PG_UNAVAILABLE.test(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Client has encountered a connection error/i.test(
    message,
  );
}

/** Maps Fastify's own errors to protocol return codes (PROTOCOL.md §1–§2). */
function fromFastifyError(err: FastifyError): { returnCode: ErrorReturnCode; status: number } | undefined {
  if (err.validation) return { returnCode: '2101', status: 400 };
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { returnCode: '2102', status: 413 };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { returnCode: '2101', status: 415 };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { returnCode: '2101', status: 400 };
    default:
      break;
  }
  if (err instanceof SyntaxError || err.statusCode === 400) return { returnCode: '2101', status: 400 };
  if (err.statusCode === 429) return { returnCode: '4029', status: 429 };
  return undefined;
}

/**
 * Told of every error envelope the platform sends, with the request (its route) and the HTTP status.
 * Tests use it to check that routes answer only the return codes their schemas declare.
 */
export type RefusalObserver = (request: FastifyRequest, status: number, returnCode: ErrorReturnCode) => void;

/**
 * The single place that turns errors into envelopes. Protocol errors keep their code; Fastify's
 * validation and parsing errors become 2101/2102; anything else is 9000 with no detail on the wire
 * (the detail goes to the log with the request id).
 */
export function installErrorHandling(app: FastifyInstance, observe?: RefusalObserver): void {
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, envelope: ErrorEnvelope) => {
    observe?.(request, status, envelope.returnCode);
    return reply.status(status).send(envelope);
  };
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof UnavailableError || isDatabaseUnavailable(err)) {
      request.log.error(
        { err, reason: err instanceof UnavailableError ? err.code : 'database_unavailable' },
        'dependency unavailable',
      );
      reply.header('retry-after', String(RETRY_AFTER_UNAVAILABLE));
      return send(request, reply, 503, errorEnvelope('9000'));
    }
    if (err instanceof MyCardError) {
      if (err.returnCode === '9000') request.log.error({ err }, 'internal error');
      else {
        const detail = err.message !== RETURN_CODES[err.returnCode].message ? err.message : undefined;
        request.log.info({ returnCode: err.returnCode, reason: err.code, detail }, 'request refused');
      }
      return send(request, reply, err.status, errorEnvelope(err.returnCode));
    }
    const mapped = fromFastifyError(err);
    if (mapped) {
      request.log.info({ returnCode: mapped.returnCode, reason: err.code ?? err.message }, 'request refused');
      if (mapped.returnCode === '2101' && err.validation) {
        // Say which field, never echo the value.
        const field = err.validation[0]?.instancePath || err.validation[0]?.params?.additionalProperty;
        const message = `${RETURN_CODES['2101'].message}${field ? ` (${String(field)})` : ''}`;
        return send(request, reply, mapped.status, errorEnvelope('2101', message));
      }
      return send(request, reply, mapped.status, errorEnvelope(mapped.returnCode));
    }
    request.log.error({ err }, 'unhandled error');
    return send(request, reply, 500, errorEnvelope('9000'));
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, errorEnvelope('4004')));
}

/** True when `value` is an error return code (not 0000). */
export function isErrorReturnCode(value: unknown): value is ErrorReturnCode {
  return isReturnCode(value) && value !== '0000';
}
