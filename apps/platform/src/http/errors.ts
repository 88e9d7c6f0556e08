import {
  type ErrorReturnCode,
  errorEnvelope,
  isReturnCode,
  MyCardError,
  RETURN_CODES,
} from '@mycard/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Throws a protocol error from a route or flow: `throw fail('3004', 'binding_state')`.
 * `code` is a short reason for logs and tests; the wire carries only the returnCode and its message.
 */
export function fail(returnCode: ErrorReturnCode, code: string, message?: string): MyCardError {
  return new MyCardError(returnCode, code, message);
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
 * The single place that turns errors into envelopes. Protocol errors keep their code; Fastify's
 * validation and parsing errors become 2101/2102; anything else is 9000 with no detail on the wire
 * (the detail goes to the log with the request id).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof MyCardError) {
      if (err.returnCode === '9000') request.log.error({ err }, 'internal error');
      else request.log.info({ returnCode: err.returnCode, reason: err.code }, 'request refused');
      return reply.status(err.status).send(errorEnvelope(err.returnCode));
    }
    const mapped = fromFastifyError(err);
    if (mapped) {
      request.log.info({ returnCode: mapped.returnCode, reason: err.code ?? err.message }, 'request refused');
      if (mapped.returnCode === '2101' && err.validation) {
        // Say which field, never echo the value.
        const field = err.validation[0]?.instancePath || err.validation[0]?.params?.additionalProperty;
        const message = `${RETURN_CODES['2101'].message}${field ? ` (${String(field)})` : ''}`;
        return reply.status(mapped.status).send(errorEnvelope('2101', message));
      }
      return reply.status(mapped.status).send(errorEnvelope(mapped.returnCode));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorEnvelope('9000'));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorEnvelope('4004')));
}

/** True when `value` is an error return code (not 0000). */
export function isErrorReturnCode(value: unknown): value is ErrorReturnCode {
  return isReturnCode(value) && value !== '0000';
}
