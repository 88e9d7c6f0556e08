import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { ensureSdkTarball, type SdkTarball, sdkTarballName } from '../../sdk/sdk-tarball.js';

export interface SdkRouteOptions {
  /** Where the tarball comes from (default: packed from this workspace when missing or stale). */
  tarball?: () => Promise<SdkTarball>;
}

const VERSIONED = /^mycard-merchant-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.tgz$/;

/**
 * `GET /sdk/mycard-merchant.tgz` and `GET /sdk/mycard-merchant-<version>.tgz`: the merchant SDK
 * this platform was built with, so a merchant of a self-hosted platform runs
 * `npm install https://<platform>/sdk/mycard-merchant.tgz` (docs/integration-guide.md). Another
 * version is 404 / 4004: the platform serves only its own.
 */
export function registerSdkRoute(app: FastifyInstance, options: SdkRouteOptions = {}): void {
  const tarball = options.tarball ?? (() => ensureSdkTarball((line) => app.log.info(line)));
  const schema = {
    tags: ['public'],
    summary: 'The merchant SDK (@mycard/merchant) as an npm tarball',
    // The tarball is built on first use; a build that fails is 9000.
    response: errorResponses(),
  };

  async function send(reply: FastifyReply, version: string | undefined) {
    const sdk = await tarball();
    if (version !== undefined && version !== sdk.version) throw fail('4004', 'sdk_version_not_served');
    return reply
      .header('content-type', 'application/gzip')
      .header('content-disposition', `attachment; filename="${sdkTarballName(sdk.version)}"`)
      .header('x-mycard-sdk-version', sdk.version)
      .header('cache-control', 'no-cache')
      .send(createReadStream(sdk.file));
  }

  app.get('/sdk/mycard-merchant.tgz', { schema }, (_request, reply) => send(reply, undefined));
  app.get<{ Params: { file: string } }>(
    '/sdk/:file',
    { schema: { ...schema, hide: true } },
    (request, reply) => {
      const version = VERSIONED.exec(request.params.file)?.[1];
      if (version === undefined) throw fail('4004', 'sdk_file_not_found');
      return send(reply, version);
    },
  );
}
