import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PlatformContext } from '../../context.js';
import { countBindingsByState } from '../../programs/program-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry (per app, never the global one). */
    metricsRegistry: Registry;
  }
}

const returnCodes = new WeakMap<FastifyRequest, string>();

/**
 * The returnCode of a serialized envelope, read without parsing the body: envelopes start with
 * `{"returnCode":"` (the schemas put it first); anything else is labelled `none` (PEM, images,
 * the docs UI, 304s).
 */
export function returnCodeOf(payload: unknown): string {
  if (typeof payload !== 'string') return 'none';
  const at = payload.indexOf('"returnCode":"');
  return at >= 0 && at < 16 ? payload.slice(at + 14, at + 18) : 'none';
}

/**
 * Prometheus metrics of one platform app (issue: Operations): request count and latency by route
 * pattern (never the raw URL, so ids do not explode cardinality), method and returnCode; bindings
 * by state, counted by the database at scrape time; Node process defaults. Hooks are global, added
 * before any route.
 */
export function installMetrics(app: FastifyInstance, ctx: PlatformContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mycard_' });
  const labelNames = ['method', 'route', 'returnCode'] as const;
  const requests = new Counter({
    name: 'mycard_http_requests_total',
    help: 'HTTP requests by route pattern, method, HTTP status and envelope returnCode.',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'mycard_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and envelope returnCode.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'mycard_bindings',
    help: 'Bindings by state (RESERVED, APPLIED, ACTIVE, CANCELLED, EXPIRED, UNBOUND).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await countBindingsByState(ctx.db);
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });

  new Counter({
    name: 'mycard_rate_limit_store_errors_total',
    help: 'Rate-limit store (Redis) errors by limiter: absorbed (fail open) or answered 503 (fail closed).',
    labelNames: ['limiter'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [limiter, n] of Object.entries(ctx.limits.storeErrors())) this.inc({ limiter }, n);
    },
  });

  // Callback hooks, not async ones: no promise per request (issue 10).
  app.addHook('onSend', (request: FastifyRequest, _reply: FastifyReply, payload: unknown, done) => {
    returnCodes.set(request, returnCodeOf(payload));
    done(null, payload);
  });
  // The label objects of each series are made once and reused (bounded: routes × methods × codes).
  const series = new Map<string, { labels: Record<string, string>; withStatus: Record<string, string> }>();
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    // Unmatched URLs share one label: a scan of random paths must not create series.
    const route = request.routeOptions.url ?? 'unmatched';
    const returnCode = returnCodes.get(request) ?? 'none';
    const key = `${request.method} ${route} ${returnCode} ${reply.statusCode}`;
    let s = series.get(key);
    if (!s) {
      const labels = { method: request.method, route, returnCode };
      s = { labels, withStatus: { ...labels, status: String(reply.statusCode) } };
      series.set(key, s);
    }
    requests.inc(s.withStatus);
    latency.observe(s.labels, reply.elapsedTime / 1000);
    done();
  });
  app.decorate('metricsRegistry', registry);
  return registry;
}
