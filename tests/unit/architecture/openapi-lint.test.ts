import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { routes } from '../../../shared/app/index.js';
import { openApiDocument } from '../../../shared/platform/http/openapi.js';

/**
 * The OpenAPI document generated from the route declarations, linted with Redocly's
 * `recommended` rules (the engine of Redocly CLI): zero errors. Rules that ask for what this
 * API deliberately does not have are switched off here, each with its reason.
 */
const lintConfig = () =>
  createConfig({
    extends: ['recommended'],
    rules: {
      // No public server URL: every deployment has its own (stack output) and the local stack its port.
      'no-empty-servers': 'off',
      // The API is proprietary; the document has no licence to name.
      'info-license': 'off',
    },
  });

async function errorsOf(document: unknown): Promise<string[]> {
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: 'openapi.json',
    config: await lintConfig(),
  });
  return problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
}

describe('the OpenAPI document', () => {
  it('lints with zero errors', async () => {
    expect(await errorsOf(openApiDocument(routes))).toEqual([]);
  }, 30_000);

  it('carries a JSON Schema for every request body, query parameter and success response', () => {
    const doc = openApiDocument(routes) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: unknown;
            parameters?: { in: string }[];
            responses: Record<string, { content?: unknown }>;
          }
        >
      >;
    };
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      if (route.body) expect(op?.requestBody, `${route.method} ${route.path} body`).toBeDefined();
      if (route.query) expect(op?.parameters?.some((p) => p.in === 'query')).toBe(true);
      if (route.response) expect(op?.responses[String(route.status ?? 200)]?.content).toBeDefined();
    }
  });

  it('the lint can fail (negative control: an operation without security, a dangling $ref)', async () => {
    const broken = openApiDocument(routes) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const op = broken.paths['/v1/people']?.post as Record<string, unknown>;
    delete op.security;
    op.requestBody = {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } },
    };
    const errors = await errorsOf(broken);
    expect(errors.some((e) => e.startsWith('security-defined'))).toBe(true);
    expect(errors.some((e) => e.startsWith('no-unresolved-refs'))).toBe(true);
  }, 30_000);
});
