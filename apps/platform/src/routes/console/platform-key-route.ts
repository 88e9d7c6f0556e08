import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { createPublicKeyPem } from './program-routes.js';

/**
 * `GET /v1/console/platform-key.pem`: the current binding-token signing key as an SPKI PEM, for
 * merchants who pin the key instead of fetching the JWKS (PROTOCOL.md §3 step 3, §7).
 */
export function registerPlatformKeyRoute(authed: FastifyInstance, ctx: PlatformContext): void {
  const publicKeyPem = createPublicKeyPem(ctx);
  authed.get(
    '/platform-key.pem',
    {
      schema: {
        tags: ['console'],
        security: [{ consoleSession: [] }],
        summary: 'The current platform public key (ES256) as PEM',
        response: {
          200: {
            description: 'SPKI PEM (-----BEGIN PUBLIC KEY-----)',
            content: { 'application/x-pem-file': { schema: Type.String() } },
          },
          ...errorResponses('4001'),
        },
      },
    },
    async (_request, reply) => {
      const { kid, pem } = await publicKeyPem();
      return reply
        .header('content-type', 'application/x-pem-file; charset=utf-8')
        .header('content-disposition', 'inline; filename="mycard-platform-key.pem"')
        .header('x-key-id', kid)
        .send(pem);
    },
  );
}
