import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { publicJwkToPem, successEnvelope } from '@mycard/protocol';
import {
  ConsoleProgram,
  CreatedProgram,
  NewProgramBody,
  OkEnvelope,
  ProgramDetails,
  ProgramPatchBody,
  ProgramSummary,
} from '@mycard/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../audit/actor.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { urlReason } from '../../http/refusal-reasons.js';
import { defaultOrganizationFor } from '../../organizations/organization-repository.js';
import { channelSecretInfo } from '../../programs/channel-secrets.js';
import { checkProgramUrls } from '../../programs/program-input.js';
import { createProgram, listOperatorPrograms, normalizeDetail } from '../../programs/program-repository.js';
import { listTesters } from '../../programs/program-testers.js';
import { saveProgramChanges } from '../../programs/review/save-program-changes.js';
import { checkWebhookDestination } from '../../webhooks/webhook-destination.js';
import { authorizeOrganization, loadOwnedProgram, operatorOf } from './console-auth.js';
import { ChannelIdParams, hasProgramLogo, toProgramView } from './program-view.js';
import { ReviewStatusSchema, reviewStatusOf } from './review-view.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];

/** Refuses URLs a JSON Schema cannot judge (scheme, localhost-only http, credentials): 2101. */
function assertUrls(input: Parameters<typeof checkProgramUrls>[0]): void {
  const bad = checkProgramUrls(input);
  if (bad) throw fail('2101', urlReason(bad.reason), `Request parameter error. (${bad.path})`);
}

/** Refuses a webhook URL that may not be a destination in this mode (PROTOCOL.md §6): 2101. */
async function assertWebhookUrl(ctx: PlatformContext, url: string | null | undefined): Promise<void> {
  if (typeof url !== 'string') return;
  const reason = await checkWebhookDestination(ctx.config, url);
  if (reason) throw fail('2101', reason, 'Request parameter error. (/webhookUrl)');
}

/**
 * The current signing key's public half as PEM, converted once per key id (the console shows it
 * beside the JWKS URL, PROTOCOL.md §3 step 3).
 */
export function createPublicKeyPem(ctx: PlatformContext): () => Promise<{ kid: string; pem: string }> {
  const cache = new Map<string, string>();
  return async () => {
    const { kid } = ctx.keys.current();
    let pem = cache.get(kid);
    if (!pem) {
      const jwk = ctx.keys.jwks().keys.find((k) => (k as { kid?: string }).kid === kid);
      if (!jwk) throw fail('9000', 'current_key_unpublished');
      pem = await publicJwkToPem(jwk);
      cache.set(kid, pem);
    }
    return { kid, pem };
  };
}

/**
 * Where a new program goes: the named organization when the operator may register programs there,
 * else the operator's oldest organization where they may (4003 when there is none).
 */
async function organizationForNewProgram(
  ctx: PlatformContext,
  request: FastifyRequest,
  organizationId: string | undefined,
): Promise<string> {
  if (organizationId !== undefined) {
    await authorizeOrganization(ctx, request, organizationId);
    return organizationId;
  }
  const found = await defaultOrganizationFor(ctx.db, operatorOf(request).id, 'program.create');
  if (!found) throw fail('4003', 'role_forbidden');
  return found;
}

/** List, create, read and update programs (PROTOCOL.md §7). */
export function registerProgramRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();
  const publicKeyPem = createPublicKeyPem(ctx);
  const jwksUrl = `${ctx.config.publicUrl}/.well-known/jwks.json`;

  r.get(
    '/programs',
    {
      schema: {
        tags,
        security,
        summary: "The operator's programs with their status and binding counts by state",
        response: {
          200: OkEnvelope(Type.Object({ programs: Type.Array(ProgramSummary) })),
          ...errorResponses('4001'),
        },
      },
    },
    async (request) => {
      const rows = await listOperatorPrograms(ctx.db, operatorOf(request).id);
      return successEnvelope({
        programs: rows.map((p) => ({
          program: toProgramView(p, p.hasLogo),
          bindings: p.bindings,
          role: p.role,
        })),
      });
    },
  );

  r.post(
    '/programs',
    {
      schema: {
        tags,
        security,
        summary: 'Register a program: issues its channel id and channel secret (shown once here)',
        body: NewProgramBody,
        response: {
          201: OkEnvelope(CreatedProgram),
          ...errorResponses('2101', '2102', '4001', '4003'),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const organizationId = await organizationForNewProgram(ctx, request, body.organizationId);
      assertUrls(body);
      await assertWebhookUrl(ctx, body.webhookUrl);
      const { program, channelSecret } = await createProgram(ctx, {
        name: body.name,
        codeType: body.codeType,
        bindingUrl: body.bindingUrl,
        webhookUrl: body.webhookUrl ?? null,
        ...(body.colors ? { colors: body.colors } : {}),
        ...(body.detail ? { detail: normalizeDetail(body.detail) } : {}),
        ...(body.testers ? { testers: body.testers } : {}),
        operatorId: operatorOf(request).id,
        organizationId,
      });
      return reply.code(201).send(successEnvelope({ program: toProgramView(program, false), channelSecret }));
    },
  );

  r.get(
    '/programs/:channelId',
    {
      schema: {
        tags,
        security,
        summary: 'A program with its testers, secret metadata and the platform public key',
        params: ChannelIdParams,
        response: {
          200: OkEnvelope(ProgramDetails),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const [testers, secret, logo, key, review] = await Promise.all([
        listTesters(ctx.db, program.channelId),
        channelSecretInfo(ctx, program.channelId),
        hasProgramLogo(ctx.db, program.channelId),
        publicKeyPem(),
        reviewStatusOf(ctx, program.channelId),
      ]);
      return successEnvelope({
        program: toProgramView(program, logo),
        testers,
        secret,
        jwksUrl,
        publicKeyPem: key.pem,
        review,
        role: program.role,
      });
    },
  );

  r.patch(
    '/programs/:channelId',
    {
      schema: {
        tags,
        security,
        summary:
          'Update a program (codeType only while DRAFT). With review required, a LIVE program’s name, binding URL and detail page go to its pending revision; the live version stays',
        params: ChannelIdParams,
        body: ProgramPatchBody,
        response: {
          200: OkEnvelope(Type.Object({ program: ConsoleProgram, review: ReviewStatusSchema })),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const body = request.body;
      assertUrls(body);
      await assertWebhookUrl(ctx, body.webhookUrl);
      const updated = await saveProgramChanges(ctx, actorOf(request, operatorOf(request)), program, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.codeType !== undefined ? { codeType: body.codeType } : {}),
        ...(body.bindingUrl !== undefined ? { bindingUrl: body.bindingUrl } : {}),
        ...(body.webhookUrl !== undefined ? { webhookUrl: body.webhookUrl } : {}),
        ...(body.colors !== undefined ? { colors: body.colors } : {}),
        ...(body.detail !== undefined ? { detail: normalizeDetail(body.detail) } : {}),
      });
      return successEnvelope({
        program: toProgramView(updated, await hasProgramLogo(ctx.db, program.channelId)),
        review: await reviewStatusOf(ctx, program.channelId),
      });
    },
  );
}
