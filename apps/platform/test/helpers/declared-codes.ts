import type { FastifyRequest } from 'fastify';

interface RouteSchema {
  hide?: boolean;
  response?: Record<string, { properties?: { returnCode?: { enum?: string[] } } }>;
}

/**
 * Watches every error envelope a test platform sends and keeps those whose return code the route's
 * schema (hence the OpenAPI document) does not declare under that HTTP status. Undocumented
 * routes (hidden, or no route at all: the 404 handler) are not judged.
 */
export function createDeclaredCodesWatch() {
  const undeclared = new Set<string>();
  return {
    observe(request: FastifyRequest, status: number, returnCode: string): void {
      const url = request.routeOptions.url;
      const schema = request.routeOptions.schema as RouteSchema | undefined;
      if (!url || !schema || schema.hide) return;
      const declared = schema.response?.[String(status)]?.properties?.returnCode?.enum ?? [];
      if (!declared.includes(returnCode))
        undeclared.add(`${request.method} ${url} → ${status} ${returnCode}`);
    },
    /** Throws when a route answered a code it does not declare (called when the platform closes). */
    assertAllDeclared(): void {
      if (undeclared.size > 0) {
        throw new Error(
          `routes answered return codes their response schemas do not declare:\n  ${[...undeclared].join('\n  ')}`,
        );
      }
    },
  };
}
