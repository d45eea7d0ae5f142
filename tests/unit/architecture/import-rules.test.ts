import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportGraph, importGraph, violations } from './import-graph.js';

const root = resolve(import.meta.dirname, '..', '..', '..');

describe('import rules', () => {
  it('hold for the whole code base (shared, functions, infra)', () => {
    const graph = importGraph(root, ['shared', 'functions', 'infra']);
    expect(graph.size).toBeGreaterThan(50);
    expect(violations(graph)).toEqual([]);
  });

  it('catch each kind of violation (negative controls)', () => {
    const graph: ImportGraph = new Map([
      ['shared/platform/http/handler.ts', { files: ['shared/modules/people/keys.ts'], packages: [] }],
      ['shared/platform/dates.ts', { files: ['shared/platform/observability.ts'], packages: [] }],
      ['shared/platform/observability.ts', { files: [], packages: ['@aws-lambda-powertools/logger'] }],
      ['shared/modules/people/repository.ts', { files: ['shared/platform/http/problem.ts'], packages: [] }],
      ['shared/modules/people/keys.ts', { files: [], packages: [] }],
      ['shared/platform/http/problem.ts', { files: [], packages: [] }],
      ['functions/http/people.ts', { files: ['shared/modules/people/index.ts'], packages: [] }],
      ['shared/modules/people/index.ts', { files: [], packages: [] }],
      ['shared/app/index.ts', { files: ['shared/modules/people/index.ts'], packages: [] }],
      // a part of a module in a sub-folder (housing's letters/) is held to the same rules
      [
        'shared/modules/housing/letters/repository/writes.ts',
        { files: ['shared/modules/housing/letters/handlers.ts'], packages: [] },
      ],
      [
        'shared/modules/housing/letters/handlers.ts',
        { files: ['shared/modules/housing/keys.ts'], packages: [] },
      ],
      [
        'shared/modules/housing/letters/rules/letter.ts',
        { files: [], packages: ['@aws-sdk/client-dynamodb'] },
      ],
      ['shared/modules/housing/keys.ts', { files: [], packages: [] }],
      // a module's own repository/errors.ts is data layer, not the HTTP layer's errors.ts
      [
        'shared/modules/people/repository/writes.ts',
        { files: ['shared/modules/people/repository/errors.ts'], packages: [] },
      ],
      ['shared/modules/people/repository/errors.ts', { files: [], packages: [] }],
    ]);
    const found = violations(graph);
    expect(found).toContain(
      'the platform never imports a module or the composition root: shared/platform/http/handler.ts → shared/modules/people/keys.ts',
    );
    expect(found).toContain(
      'the HTTP layer never imports key builders: shared/platform/http/handler.ts → shared/modules/people/keys.ts',
    );
    expect(found).toContain(
      'pure rules import nothing of AWS, not even indirectly: shared/platform/dates.ts → shared/platform/observability.ts → @aws-lambda-powertools/logger',
    );
    expect(found).toContain(
      'the data layer never imports the HTTP layer: shared/modules/people/repository.ts → shared/platform/http/problem.ts',
    );
    expect(found).toContain(
      'only the composition root imports a module manifest: functions/http/people.ts → shared/modules/people/index.ts',
    );
    expect(found.some((f) => f.includes('shared/app/index.ts →'))).toBe(false);
    expect(found).toContain(
      'the data layer never imports the HTTP layer: shared/modules/housing/letters/repository/writes.ts → shared/modules/housing/letters/handlers.ts',
    );
    expect(found).toContain(
      'the HTTP layer never imports key builders: shared/modules/housing/letters/handlers.ts → shared/modules/housing/keys.ts',
    );
    expect(found).toContain(
      'pure rules import nothing of AWS, not even indirectly: shared/modules/housing/letters/rules/letter.ts → @aws-sdk/client-dynamodb',
    );
    expect(found.some((f) => f.includes('people/repository/writes.ts →'))).toBe(false);
  });
});
