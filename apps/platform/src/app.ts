import { createHmac, randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import pino from 'pino';
import {
  type PlatformConfig,
  type PlatformConfigInput,
  parseTrustedProxies,
  resolveConfig,
} from './config.js';
import type { PlatformContext } from './context.js';
import { createSecretBox } from './crypto/secret-box.js';
import { randomToken } from './crypto/tokens.js';
import { ensureDevSecrets } from './dev-secrets.js';
import { createApiCallRecorder } from './figures/api-call-recorder.js';
import { installErrorHandling, type RefusalObserver } from './http/errors.js';
import { registerEtags } from './http/etag.js';
import { serializeRequest } from './http/log-redaction.js';
import { installRawJsonParser } from './http/raw-json.js';
import { openSigningKeyStore } from './keys/signing-key-store.js';
import { createLimits } from './limits/limits.js';
import { createMailer } from './mail/mailer.js';
import { removeRunningPlatform, writeRunningPlatform } from './ops/running-platform.js';
import { registerRoutes } from './routes/index.js';
import { installMetrics } from './routes/ops/metrics.js';
import { returnCodeSchema } from './routes/ops/return-code-schema.js';
import { registerSecurityHeaders, swaggerUiOptions } from './routes/ops/security-headers.js';
import { type DatabaseHandle, openDatabase } from './store/database.js';
import { migrateToLatest } from './store/migrate.js';

export interface PlatformAppOptions {
  /** Clock for tests. */
  now?: () => Date;
  /** Use this database instead of opening one from the config (tests). */
  database?: DatabaseHandle;
  /** Told of every error envelope sent (tests check it against the route's declared codes). */
  onRefusal?: RefusalObserver;
  /** Pino logger options override (tests pass `false`, a level, or a level and a stream to read the log). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
}

export interface PlatformApp {
  app: FastifyInstance;
  ctx: PlatformContext;
  config: PlatformConfig;
  close(): Promise<void>;
}

/**
 * Request ids: 9 random bytes as base64url (12 characters), as `randomToken(9)` made them, taken from a
 * pool filled 4 KiB at a time (issue 10: a `randomBytes` call per request was ~2% of a flow's CPU).
 */
export function requestIds(): () => string {
  const pool = Buffer.allocUnsafe(9 * 455);
  let at = pool.length;
  return () => {
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    at += 9;
    return pool.toString('base64url', at - 9, at);
  };
}

/**
 * One log line per request, when it is answered, with the request's fields and the outcome: not
 * Fastify's two ("incoming request", then "request completed"). Issue 10: pino was ~8% of a binding
 * flow's CPU, half of it the first line. Fastify's other lines (errors, 404s) are unchanged.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/** What the log to stdout buffers before a write (sonic-boom `minLength`). */
const LOG_BUFFER_BYTES = 4096;

/** Merchant API request bodies are at most 16 KiB (PROTOCOL.md §1). */
export const BODY_LIMIT = 16 * 1024;

/**
 * Builds the My Card Server from a config object: opens and migrates the database, loads the
 * signing keys, and registers every route. It does not listen; `main.ts` does.
 */
export async function createPlatformApp(
  input: PlatformConfigInput = {},
  options: PlatformAppOptions = {},
): Promise<PlatformApp> {
  const notices: string[] = [];
  const config = ensureDevSecrets(resolveConfig(input), (m) => notices.push(m));
  const now = options.now ?? (() => new Date());
  const database =
    options.database ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(database.db as never);
  if (config.mode === 'development' && !existsSync(config.signingKeysFile)) {
    notices.push(`development mode: generated an ES256 signing key in ${config.signingKeysFile}`);
  }
  const keys = await openSigningKeyStore({
    file: config.signingKeysFile,
    createIfMissing: config.mode === 'development',
    publishRetiredFor: config.bindingTtl + 120,
    now,
  });
  const masterKey = Buffer.from(config.masterKey, 'base64');
  const limitLog: { log?: (message: string, err?: unknown) => void } = {};
  const limits = createLimits(config, {
    now: () => now().getTime(),
    log: (message, err) => limitLog.log?.(message, err),
  });
  if (config.rateLimitStore === 'local' || (!config.redisUrl && config.mode === 'production')) {
    notices.push(
      'rate limits and lockouts are counted in this process only (no MYCARD_REDIS_URL): run a single instance',
    );
  }
  if (config.webhookAllowPrivate) {
    notices.push(
      'MYCARD_WEBHOOK_ALLOW_PRIVATE is on: webhooks may go to loopback and private addresses over http (development and tests only)',
    );
  }
  const ctx: PlatformContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    keys,
    secrets: createSecretBox(config.masterKey),
    pairwiseKey: createHmac('sha256', masterKey).update('mycard pairwise subject v1').digest(),
    limits,
    instanceId: `${hostname()}:${process.pid}:${randomToken(6)}`,
    mailer: createMailer(config),
    apiCalls: createApiCallRecorder(database.db),
    now,
  };

  const trustedProxies = parseTrustedProxies(config.trustedProxies);
  // The log goes to stdout asynchronously (issue 10: a synchronous write per line blocked every
  // request); close() flushes what is still buffered. Tests pass a stream of their own.
  const logDestination =
    options.logger === false || (typeof options.logger === 'object' && options.logger.stream)
      ? undefined
      : pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  // Lines are written 4 KiB at a time (one write per ~10 lines instead of one per line: issue 10,
  // the writes were ~5% of a merchant call's CPU); at low traffic what is buffered goes out within
  // a second.
  const logFlush = logDestination
    ? setInterval(() => logDestination.flush((err) => err && undefined), 1000).unref()
    : undefined;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: typeof options.logger === 'object' ? options.logger.level : config.logLevel,
            // Never log secrets, signatures, tokens or cookies (PROTOCOL.md §3, issue: logs).
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'req.headers["x-line-authorization"]',
                'res.headers["set-cookie"]',
              ],
              censor: '[redacted]',
            },
            serializers: { req: serializeRequest },
            ...(typeof options.logger === 'object' && options.logger.stream
              ? { stream: options.logger.stream }
              : logDestination
                ? { stream: logDestination }
                : {}),
          },
    genReqId: requestIds(),
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    bodyLimit: BODY_LIMIT,
    // Connections are closed deliberately (issue 9.8): headers must arrive within 10 s and a whole
    // request within 15 s (slow-header and slow-body clients), an idle keep-alive connection
    // lasts 5 s, and a socket with no traffic for 15 s is closed. Checked every second.
    http: { headersTimeout: 10_000, connectionsCheckingInterval: 1000 },
    requestTimeout: 15_000,
    keepAliveTimeout: 5_000,
    connectionTimeout: 15_000,
    // X-Forwarded-For only from the configured proxies; the client is the rightmost untrusted hop
    // (proxy-addr, PROTOCOL.md §10). None configured: the TCP peer, whatever the header says.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  for (const m of notices) app.log.warn(m);
  // Start-up notices (generated dev secrets, local rate limits) go out before the server listens,
  // not with the next 4 KiB of request lines: the operator reads them beside the start banner.
  if (notices.length > 0) logDestination?.flushSync();
  limitLog.log = (message, err) => app.log.warn({ err }, message);
  installRawJsonParser(app);
  installErrorHandling(app, options.onRefusal);
  // Set when the request arrives, so every answer carries it (errors and 404s too) without an
  // onSend hook per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  await app.register(fastifyCookie);
  await registerSecurityHeaders(app, config);
  installMetrics(app, ctx);
  registerEtags(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'My Card Server',
        version: '1.0.0',
        description:
          'The My Card platform API: binding flow, wallet API, merchant API (HMAC) and console API.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        schemas: { ReturnCode: returnCodeSchema() },
        securitySchemes: {
          walletSession: { type: 'apiKey', in: 'cookie', name: 'mycard_session' },
          consoleSession: { type: 'apiKey', in: 'cookie', name: 'mycard_console' },
          merchantHmac: {
            type: 'apiKey',
            in: 'header',
            name: 'X-LINE-Authorization',
            description:
              'Base64(HMAC-SHA256(channelSecret, channelSecret + path + body|query + nonce)) with X-LINE-ChannelId and X-LINE-Authorization-Nonce',
          },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, swaggerUiOptions(config));
  await registerRoutes(app, ctx);
  // CLI commands run beside a listening platform read its issuer from its data folder.
  app.addHook('onListen', async () => writeRunningPlatform(config, now()));
  app.addHook('onClose', async () => removeRunningPlatform(config));

  let closed = false;
  return {
    app,
    ctx,
    config,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await limits.close();
      await ctx.apiCalls.flush();
      ctx.mailer?.close();
      await database.close();
      clearInterval(logFlush);
      logDestination?.flushSync();
    },
  };
}
