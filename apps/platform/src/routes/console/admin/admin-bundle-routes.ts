import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  BundleFigures,
  BundleId,
  BundlePatchBody,
  BundleProgramsBody,
  ConsoleBundle,
  NewBundleBody,
  OkEnvelope,
} from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../../audit/actor.js';
import {
  bundleFigures,
  createBundle,
  getConsoleBundle,
  listConsoleBundles,
  setBundlePrograms,
  updateBundle,
} from '../../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../../context.js';
import { errorResponses } from '../../../http/envelope-schemas.js';
import { operatorOf } from '../console-auth.js';
import { security, tags } from './admin-schemas.js';

export const BundleIdParams = Type.Object({ bundleId: BundleId }, { additionalProperties: false });
const OneBundle = OkEnvelope(Type.Object({ bundle: ConsoleBundle }));

/**
 * Campaign bundles (PROTOCOL.md §9), for platform administrators: create, list, read, edit, set the
 * invited programs, figures. The banner upload is in logo-upload-route.ts's scope (raw image body).
 */
export function registerAdminBundleRoutes(admin: FastifyInstance, ctx: PlatformContext): void {
  const r = admin.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/bundles',
    {
      schema: {
        tags,
        security,
        summary: 'Every campaign bundle, newest first, with its programs and their states',
        response: {
          200: OkEnvelope(Type.Object({ bundles: Type.Array(ConsoleBundle) })),
          ...errorResponses('4001', '4003'),
        },
      },
    },
    async () => successEnvelope({ bundles: await listConsoleBundles(ctx) }),
  );

  r.post(
    '/bundles',
    {
      schema: {
        tags,
        security,
        summary:
          'Create a bundle: name, description, dates and 2–20 programs, each invited (it joins when its organization accepts)',
        body: NewBundleBody,
        response: {
          201: OneBundle,
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const id = await createBundle(ctx, actorOf(request, operatorOf(request)), request.body);
      return reply.code(201).send(successEnvelope({ bundle: await getConsoleBundle(ctx, id) }));
    },
  );

  r.get(
    '/bundles/:bundleId',
    {
      schema: {
        tags,
        security,
        summary: 'A bundle with its programs, their states and its wallet link',
        params: BundleIdParams,
        response: { 200: OneBundle, ...errorResponses('2101', '4001', '4003', '4004') },
      },
    },
    async (request) => successEnvelope({ bundle: await getConsoleBundle(ctx, request.params.bundleId) }),
  );

  r.patch(
    '/bundles/:bundleId',
    {
      schema: {
        tags,
        security,
        summary: 'Change the name, description or dates (endsAt after startsAt)',
        params: BundleIdParams,
        body: BundlePatchBody,
        response: { 200: OneBundle, ...errorResponses('2101', '2102', '4001', '4003', '4004') },
      },
    },
    async (request) => {
      const { bundleId } = request.params;
      await updateBundle(ctx, actorOf(request, operatorOf(request)), bundleId, request.body);
      return successEnvelope({ bundle: await getConsoleBundle(ctx, bundleId) });
    },
  );

  r.put(
    '/bundles/:bundleId/programs',
    {
      schema: {
        tags,
        security,
        summary:
          'Set the invited programs (2–20, in the order the wallet walks): new ones are invited, missing ones taken out, a program that left is invited again',
        params: BundleIdParams,
        body: BundleProgramsBody,
        response: { 200: OneBundle, ...errorResponses('2101', '2102', '4001', '4003', '4004') },
      },
    },
    async (request) => {
      const { bundleId } = request.params;
      await setBundlePrograms(ctx, actorOf(request, operatorOf(request)), bundleId, request.body.channelIds);
      return successEnvelope({ bundle: await getConsoleBundle(ctx, bundleId) });
    },
  );

  r.get(
    '/bundles/:bundleId/figures',
    {
      schema: {
        tags,
        security,
        summary: "A bundle's figures: views, viewers, reservations and cards added per program, conversion",
        params: BundleIdParams,
        response: {
          200: OkEnvelope(BundleFigures),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return successEnvelope(await bundleFigures(ctx, request.params.bundleId));
    },
  );
}
