import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { redactUrl } from '@mycard/protocol';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { type MerchantConfig, type MerchantConfigInput, resolveMerchantConfig } from './config.js';
import type { MerchantContext } from './context.js';
import { openDatabase, type StatementObserver } from './db/database.js';
import { groupCommit, transactionPerRun } from './db/group-commit.js';
import { migrateToLatest } from './db/migrate.js';
import { MerchantError, toErrorBody } from './errors.js';
import { instanceName } from './jobs/expiry-job.js';
import { createExpirySchedule, type ExpirySchedule } from './jobs/expiry-schedule.js';
import { createMessageSender, type MessageSender } from './messages/message-sender.js';
import { createPlatformPort, type PlatformPort } from './platform/platform-port.js';
import { registerPosApiRoutes } from './routes/api-pos/pos-api-routes.js';
import { registerBindRoutes } from './routes/bind/bind-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerAuthRoutes } from './routes/member/auth-routes.js';
import { registerMemberPage } from './routes/member/member-page.js';
import { registerPosPages } from './routes/pos/pos-pages.js';
import { registerWebhookRoute, WEBHOOK_ROUTE } from './routes/webhook-route.js';
import { loadSecrets } from './secrets.js';
import { createStores, readStores, type Store } from './stores/stores.js';
import { createOutboxWorker, type OutboxWorker } from './sync/outbox-worker.js';
import { html } from './web/html.js';
import { layout } from './web/layout.js';
import { createLoginThrottle } from './web/login-throttle.js';
import { pageContext, sendPage } from './web/request-context.js';
import { registerSecurityHeaders } from './web/security-headers.js';
import { registerStaticAssets } from './web/static-assets.js';

export interface MerchantAppOptions {
  /** fetch for the SDK (tests record calls; proxies). Default: global fetch. */
  fetch?: typeof fetch;
  /** Clock. Default: `() => new Date()`. */
  now?: () => Date;
  /** Replace the platform port entirely (tests without a platform). */
  platform?: PlatformPort;
  /** Replace the stores of `<dataDir>/stores.json` (tests). */
  stores?: Store[];
  /** Where log lines go (tests read them); default stdout. */
  logStream?: { write(line: string): void };
  /** Sees every SQL statement with its connection (tests count round trips; diagnostics). */
  observeStatements?: StatementObserver;
}

export interface MerchantApp {
  app: FastifyInstance;
  /** The resolved config, secrets filled in. */
  config: MerchantConfig;
  context: MerchantContext;
  worker: OutboxWorker;
  /** Sends queued card messages (started with the worker). */
  messages: MessageSender;
  /** The daily points expiry job's schedule (`expiryJob.schedule`). */
  expiry: ExpirySchedule;
  /** Notes for the start-up log (generated secrets, where credentials came from). */
  notes: string[];
  close(): Promise<void>;
}

/**
 * Builds the merchant system from one config object: resolves it, fills secrets from the data
 * folder, opens and migrates the database, and registers every route. The outbox worker starts
 * when the server is ready (unless `sync.pollMs` is 0) and stops on close.
 *
 * @example
 * ```ts
 * const { app, close } = await createMerchantApp({ port: 0, dataDir: '/tmp/shop' });
 * await app.listen({ port: 0, host: '127.0.0.1' });
 * ```
 */
export async function createMerchantApp(
  input: MerchantConfigInput = {},
  options: MerchantAppOptions = {},
): Promise<MerchantApp> {
  const { config, notes } = loadSecrets(resolveMerchantConfig(input));
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
    ...(options.observeStatements ? { observe: options.observeStatements } : {}),
  });
  try {
    await migrateToLatest(database.db, config.databaseSchema || undefined);
  } catch (err) {
    await database.close();
    throw err;
  }
  const now = options.now ?? (() => new Date());
  const platform =
    options.platform ??
    createPlatformPort({
      channelId: config.channelId,
      channelSecret: config.channelSecret,
      platformUrl: config.platformUrl,
      issuer: config.issuer,
      jwksUrl: config.jwksUrl,
      webhookPath: new URL(config.publicUrl).pathname.replace(/\/$/, '') + WEBHOOK_ROUTE,
      // A delivery gives up well inside its claim's lease, so no other instance can claim a newer
      // version of the card while this one is still on the wire (versions stay in order).
      syncTimeoutMs: Math.min(5_000, Math.floor(config.sync.leaseMs / 2)),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
    });

  // The log goes to stdout asynchronously (issue 10: a synchronous write per line blocked every
  // request); close() flushes what is still buffered. Tests pass a stream of their own.
  const logDestination = options.logStream ? undefined : pino.destination({ dest: 1, sync: false });
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // The binding page's URL carries the binding token and nonce; logs never do (issue 9.8):
      // the same URL redaction as the platform's, and no cookies or authorization headers.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip,
        }),
      },
      stream: options.logStream ?? logDestination,
    },
    trustProxy: config.trustProxy,
    bodyLimit: 16 * 1024,
    // Reject rather than strip unknown fields, and never coerce "100" into 100.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  let worker: OutboxWorker | undefined;
  const stores =
    options.stores ??
    createStores(readStores(config.dataDir), {
      platformUrl: config.platformUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  if (stores.length > 0) notes.push(`group stores: ${stores.map((s) => s.name).join(', ')}`);
  const context: MerchantContext = {
    config,
    db: database.db,
    ledger: database.dialect === 'sqlite' ? groupCommit(database.db) : transactionPerRun(database.db),
    platform,
    stores,
    now,
    nudgeSync: () => worker?.nudge(),
  };
  worker = createOutboxWorker(context, app.log);
  const throttle = createLoginThrottle();

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  registerSecurityHeaders(app, () => [new URL(config.issuer).origin]);
  registerStaticAssets(app, config);
  registerHealthRoutes(app, context);
  registerAuthRoutes(app, context, throttle);
  registerMemberPage(app, context);
  registerBindRoutes(app, context, throttle);
  registerPosPages(app, context, throttle);
  registerPosApiRoutes(app, context, throttle);
  registerWebhookRoute(app, context);
  registerErrorHandlers(app, context);

  const messages = createMessageSender(context, app.log);
  const expiry = createExpirySchedule(context, app.log, instanceName());
  app.addHook('onReady', async () => {
    worker.start();
    messages.start();
    expiry.start();
  });
  app.addHook('onClose', async () => {
    await expiry.stop();
    await messages.stop();
    await worker.stop();
    await context.ledger.close();
    await database.close();
  });
  return {
    app,
    config,
    context,
    worker,
    messages,
    expiry,
    notes,
    async close() {
      await app.close();
      logDestination?.flushSync();
    },
  };
}

/** JSON envelopes under /api, a plain page elsewhere; 5xx never carries detail. */
function registerErrorHandlers(app: FastifyInstance, ctx: MerchantContext): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let error: unknown = err;
    if (!(err instanceof MerchantError)) {
      if (err.statusCode === 413) error = new MerchantError('body_too_large');
      else if (err.statusCode === 415) error = new MerchantError('unsupported_media_type');
      else if (err.validation || (err.statusCode && err.statusCode < 500))
        error = new MerchantError('invalid_request');
      else request.log.error({ err }, 'request failed');
    }
    const { status, body } = toErrorBody(error);
    if (request.url.startsWith('/api/')) return reply.code(status).send(body);
    const page = pageContext(ctx, request, reply);
    const text = status >= 500 ? page.t('serverError') : body.error.message;
    return sendPage(
      reply,
      status,
      layout(page, page.brand, html`<h1>${page.brand}</h1><p class="error">${text}</p>`),
    );
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.code(404).send(toErrorBody(new MerchantError('not_found')).body);
    }
    const page = pageContext(ctx, request, reply, { path: '/' });
    return sendPage(
      reply,
      404,
      layout(page, page.brand, html`<h1>${page.t('notFound')}</h1><p><a href="/">${page.t('home')}</a></p>`),
    );
  });
}
