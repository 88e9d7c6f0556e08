import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RETURN_CODES } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const docsFile = fileURLToPath(new URL('../../../../docs/protocol.md', import.meta.url));

/** Statuses a code may appear under besides the registry's (docs/protocol.md, "2101 with HTTP 415"). */
const EXTRA_STATUSES: Record<string, number[]> = { '0000': [201], '2101': [415] };

describe('OpenAPI document', () => {
  let platform: TestPlatform;
  let doc: {
    paths: Record<string, Record<string, { responses?: Record<string, any> }>>;
    components: { schemas: Record<string, any> };
  };
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    const res = await platform.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('is OpenAPI 3.1 and lists every console route', () => {
    expect((doc as any).openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/console/signup',
        'POST /v1/console/session',
        'DELETE /v1/console/session',
        'GET /v1/console/me',
        'GET /v1/console/programs',
        'POST /v1/console/programs',
        'GET /v1/console/programs/{channelId}',
        'PATCH /v1/console/programs/{channelId}',
        'PUT /v1/console/programs/{channelId}/logo',
        'POST /v1/console/programs/{channelId}/status',
        'PUT /v1/console/programs/{channelId}/testers',
        'POST /v1/console/programs/{channelId}/secret/reveal',
        'POST /v1/console/programs/{channelId}/secret/rotate',
        'GET /v1/console/platform-key.pem',
        'GET /v1/programs/{channelId}/logo',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
      ]),
    );
    const create = doc.paths['/v1/console/programs']!.post!;
    expect(create.responses!['201']).toBeDefined();
    expect((create as any).requestBody.content['application/json'].schema.properties.codeType.enum).toContain(
      'EAN13',
    );
  });

  it('agrees with the return-code registry: the ReturnCode schema and every documented error status', () => {
    const schema = doc.components.schemas.ReturnCode;
    expect([...schema.enum].sort()).toEqual(Object.keys(RETURN_CODES).sort());
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const codes: string[] | undefined =
            response?.content?.['application/json']?.schema?.properties?.returnCode?.enum;
          if (!codes) continue;
          for (const code of codes) {
            checked++;
            expect(Object.hasOwn(RETURN_CODES, code), `${method} ${path} ${status}: ${code}`).toBe(true);
            const allowed = [
              RETURN_CODES[code as keyof typeof RETURN_CODES].status,
              ...(EXTRA_STATUSES[code] ?? []),
            ];
            expect(allowed, `${method.toUpperCase()} ${path}: ${code} documented under ${status}`).toContain(
              Number(status),
            );
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('agrees with docs/protocol.md: every code with its HTTP status and message', () => {
    const text = readFileSync(docsFile, 'utf8');
    const rows = [...text.matchAll(/^\|\s*(\d{4})\s*\|\s*(\d{3})(?:\/\d{3})?\s*\|\s*([^|]+?)\s*\|/gm)].map(
      (m) => ({
        code: m[1]!,
        status: Number(m[2]),
        message: m[3]!,
      }),
    );
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(RETURN_CODES).sort());
    for (const row of rows) {
      const entry = RETURN_CODES[row.code as keyof typeof RETURN_CODES];
      expect(row.status, row.code).toBe(entry.status);
      expect(row.message, row.code).toBe(entry.message);
    }
  });
});
