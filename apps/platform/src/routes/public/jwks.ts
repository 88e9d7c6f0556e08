import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';

const Jwk = Type.Object({
  kty: Type.Literal('EC'),
  crv: Type.Literal('P-256'),
  x: Type.String(),
  y: Type.String(),
  kid: Type.String(),
  alg: Type.Literal('ES256'),
  use: Type.Literal('sig'),
});

/**
 * `GET /.well-known/jwks.json` (PROTOCOL.md §4.3): the public keys of binding tokens — the current
 * key and retired keys whose tokens may still be live. A plain JWK Set (no envelope), cacheable
 * for 5 minutes; the key file is re-read when `mycard keys rotate` changed it (time-gated).
 */
export function registerJwksRoute(app: FastifyInstance, ctx: PlatformContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['public'],
        summary: 'The platform public keys of binding tokens (JWK Set, EC P-256, ES256)',
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }), ...errorResponses() },
      },
    },
    async (_request, reply) => {
      await ctx.keys.refresh();
      reply.header('cache-control', 'public, max-age=300');
      return ctx.keys.jwks() as { keys: never[] };
    },
  );
}
