import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RETURN_CODES } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const docsFile = fileURLToPath(new URL('../../../../docs/protocol.md', import.meta.url));

/** Statuses a code may appear under besides the registry's (docs/protocol.md, "Two codes under two HTTP statuses"). */
const EXTRA_STATUSES: Record<string, number[]> = { '0000': [201], '2101': [415], '9000': [503] };

/** The return codes of an error response's envelope schema, or undefined when it has none. */
function codesOf(response: any): string[] | undefined {
  const codes = response?.content?.['application/json']?.schema?.properties?.returnCode?.enum;
  return codes ? [...codes] : undefined;
}

/** The codes of the return-code table of docs/protocol.md §2. */
function documentedCodes(): string[] {
  const text = readFileSync(docsFile, 'utf8');
  return [...text.matchAll(/^\|\s*(\d{4})\s*\|\s*\d{3}/gm)].map((m) => defined(m[1]));
}

/** docs/protocol.md §8: `METHOD path` → its return codes besides 9000 (`2101/415` for 2101 under 415). */
function endpointTable(): Map<string, string[]> {
  const text = readFileSync(docsFile, 'utf8');
  const section = text.slice(text.indexOf('## 8. Return codes by endpoint'));
  const rows = [...section.matchAll(/^\|\s*`([A-Z]+ [^`]+)`\s*\|\s*([^|]*?)\s*\|$/gm)];
  expect(rows.length).toBeGreaterThan(30);
  return new Map(
    rows.map(
      (m) => [defined(m[1]), m[2] === '—' ? [] : defined(m[2]).split(/,\s*/).sort()] as [string, string[]],
    ),
  );
}

describe('OpenAPI document', () => {
  let platform: TestPlatform;
  let doc: {
    paths: Record<string, Record<string, { responses?: Record<string, any>; tags?: string[] }>>;
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
    const create = defined(defined(doc.paths['/v1/console/programs']).post);
    expect(defined(create.responses)['201']).toBeDefined();
    expect((create as any).requestBody.content['application/json'].schema.properties.codeType.enum).toContain(
      'EAN13',
    );
  });

  it('agrees with the return-code registry: every operation declares its exact codes, 9000 included', () => {
    // The ReturnCode component lists the codes docs/protocol.md documents (not only those it was made from).
    expect([...doc.components.schemas.ReturnCode.enum].sort()).toEqual(documentedCodes().sort());
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        const responses = op.responses ?? {};
        expect(codesOf(responses['500']), `${name}: 500`).toEqual(['9000']);
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          const codes = codesOf(response);
          // The probes' 503 is their own plain JSON answer, the one error response without an envelope.
          if (codes === undefined && status === '503' && op.tags?.includes('ops')) continue;
          expect(codes, `${name} ${status}: an error envelope with its return codes`).toBeDefined();
          for (const code of codes ?? []) {
            checked++;
            expect(Object.hasOwn(RETURN_CODES, code), `${name} ${status}: ${code}`).toBe(true);
            const allowed = [
              RETURN_CODES[code as keyof typeof RETURN_CODES].status,
              ...(EXTRA_STATUSES[code] ?? []),
            ];
            expect(allowed, `${name}: ${code} documented under ${status}`).toContain(Number(status));
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('agrees with docs/protocol.md §8: the same endpoints, each with the same return codes', () => {
    const documented = endpointTable();
    const served = new Map<string, string[]>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const codes: string[] = [];
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          if (Number(status) < 400) continue;
          for (const code of codesOf(response) ?? []) {
            const registry = RETURN_CODES[code as keyof typeof RETURN_CODES]?.status;
            codes.push(Number(status) === registry ? code : `${code}/${status}`);
          }
        }
        served.set(`${method.toUpperCase()} ${path}`, codes.sort());
      }
    }
    expect([...documented.keys()].sort()).toEqual([...served.keys()].sort());
    for (const [endpoint, codes] of documented) {
      // 9000 is on every endpoint (the table says so once): 500, and 503 but on the probes.
      const probe = endpoint === 'GET /healthz' || endpoint === 'GET /readyz';
      const expected = [...codes, '9000', ...(probe ? [] : ['9000/503'])].sort();
      expect(served.get(endpoint), endpoint).toEqual(expected);
    }
  });

  it('agrees with docs/protocol.md: every code with its HTTP status and message', () => {
    const text = readFileSync(docsFile, 'utf8');
    const rows = [...text.matchAll(/^\|\s*(\d{4})\s*\|\s*(\d{3})(?:\/\d{3})?\s*\|\s*([^|]+?)\s*\|/gm)].map(
      (m) => ({
        code: defined(m[1]),
        status: Number(m[2]),
        message: defined(m[3]),
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
