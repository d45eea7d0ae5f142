import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { routes } from '../../../../shared/app/index.js';
import { letterRoutes } from '../../../../shared/modules/housing/letters/index.js';
import { openApiDocument } from '../../../../shared/platform/http/openapi.js';

/**
 * Before the letters are wired into the route table: the OpenAPI document of the table plus the
 * letters' routes lints as the real one does (tests/unit/architecture/openapi-lint.test.ts), and
 * every letters body, query and response has its schema.
 */
describe('the letters routes in the OpenAPI document', () => {
  const all = [...routes, ...Object.values(letterRoutes)];

  it('lints with zero errors, and names no letters path twice', async () => {
    const problems = await lintFromString({
      source: JSON.stringify(openApiDocument(all)),
      absoluteRef: 'openapi.json',
      config: await createConfig({
        extends: ['recommended'],
        rules: { 'no-empty-servers': 'off', 'info-license': 'off' },
      }),
    });
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`)).toEqual(
      [],
    );
    const keys = all.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 30_000);

  it('carries a schema for each letters body, query and response', () => {
    const doc = openApiDocument(all) as {
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
    for (const route of Object.values(letterRoutes)) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      if ('body' in route && route.body) expect(op?.requestBody).toBeDefined();
      if ('query' in route && route.query) expect(op?.parameters?.some((p) => p.in === 'query')).toBe(true);
      expect(op?.responses[String(route.status ?? 200)]?.content).toBeDefined();
    }
  });
});
