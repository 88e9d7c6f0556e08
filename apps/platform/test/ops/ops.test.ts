import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindingRow, DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe.each(DIALECTS)('operations endpoints on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await platform.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await platform.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: true, keys: true } });
  });

  it('exposes Prometheus metrics: requests by route pattern and returnCode, bindings by state', async () => {
    await platform.ctx.db
      .insertInto('bindings')
      .values(
        bindingRow({
          id: 'metrics-b1',
          channel_id: '1234567890',
          user_id: 'dev:u',
          state: 'ACTIVE',
          membership_code: '1',
        }),
      )
      .execute();
    await platform.app.inject({ method: 'GET', url: '/v1/console/programs/1234567890' }); // 4001
    await platform.app.inject({ method: 'GET', url: '/v1/no/such/path/123' }); // 4004, unmatched
    const res = await platform.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(
      /mycard_http_requests_total\{method="GET",route="\/v1\/console\/programs\/:channelId",returnCode="4001",status="401"\} 1/,
    );
    expect(text).toMatch(
      /mycard_http_requests_total\{method="GET",route="unmatched",returnCode="4004",status="404"\} 1/,
    );
    expect(text).not.toContain('/v1/no/such/path');
    expect(text).toMatch(
      /mycard_http_request_duration_seconds_bucket\{le="[0-9.+Inf]+",method="GET",route="\/v1\/console\/programs\/:channelId",returnCode="4001"\}/,
    );
    expect(text).toContain('mycard_bindings{state="ACTIVE"} 1');
    expect(text).toContain('mycard_bindings{state="RESERVED"} 0');
    expect(text).toContain('mycard_process_cpu_user_seconds_total');
  });

  it('sets security headers on every response', async () => {
    for (const url of ['/healthz', '/v1/console/me', '/v1/nothing', '/openapi.json']) {
      const res = await platform.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // The public URL is http here: no HSTS.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('serves the docs UI with a CSP that lets it run but still forbids framing', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe('operations with a hardened config', () => {
  it('sends HSTS on an https public URL and protects /metrics with the metrics token', async () => {
    const platform = await startTestPlatform('sqlite', {
      publicUrl: 'https://platform.example',
      metricsToken: 's3cret',
    });
    try {
      const res = await platform.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      const denied = await platform.app.inject({ method: 'GET', url: '/metrics' });
      expect(denied.statusCode).toBe(401);
      expect(denied.json().returnCode).toBe('4001');
      const wrong = await platform.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const ok = await platform.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(ok.statusCode).toBe(200);
    } finally {
      await platform.close();
    }
  });

  it('reports not ready (503) when the database is gone', async () => {
    const platform = await startTestPlatform('sqlite');
    try {
      await platform.ctx.db.destroy();
      const res = await platform.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.database).toBe(false);
      expect((await platform.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await platform.close().catch(() => undefined);
    }
  });
});
