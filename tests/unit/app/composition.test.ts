import { describe, expect, it } from 'vitest';
import {
  counterPlugins,
  httpFunctions,
  modules,
  routes,
  schedules,
  streamSubscriptions,
} from '../../../shared/app/index.js';
import { routeKeyOf } from '../../../shared/platform/http/route.js';
import { idPattern, mintId } from '../../../shared/platform/ids.js';

/**
 * The composition root puts every module's names into shared namespaces: one route table, one
 * table (entities, key prefixes), one id space, one set of counter items and statistics fields,
 * one list of schedules and stream consumers. A name used twice would make two modules step on
 * each other, so each namespace is checked for duplicates here.
 */

/** Every value that occurs more than once in `values`, once each, in order of first repetition. */
function duplicatesOf(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) repeated.add(v);
    seen.add(v);
  }
  return [...repeated];
}

/** Fails, naming the namespace and the duplicates, unless every value is unique. */
function expectUnique(namespace: string, values: readonly string[]): void {
  expect(values.length, `${namespace}: nothing to check`).toBeGreaterThan(0);
  expect(duplicatesOf(values), `${namespace} used more than once`).toEqual([]);
}

describe('the uniqueness check itself (negative control)', () => {
  it('reports each duplicate of a list, once', () => {
    expect(duplicatesOf(['a', 'b', 'a', 'c', 'b', 'b'])).toEqual(['a', 'b']);
    expect(duplicatesOf(['a', 'b', 'c'])).toEqual([]);
    expect(duplicatesOf([])).toEqual([]);
  });

  it('fails on a deliberate duplicate, naming it', () => {
    const entities = [...modules.flatMap((m) => m.entities), 'person'];
    expect(() => expectUnique('entities', entities)).toThrow(/person/);
    const keys = [...routes.map(routeKeyOf), 'GET /v1/health'];
    expect(() => expectUnique('route keys', keys)).toThrow(/GET \/v1\/health/);
    expect(() => expectUnique('empty', [])).toThrow(/nothing to check/);
  });
});

describe('names are unique across modules', () => {
  it('route keys (method + path)', () => {
    expectUnique('route keys', routes.map(routeKeyOf));
  });

  it('module names', () => {
    expectUnique(
      'module names',
      modules.map((m) => m.name),
    );
  });

  it('HTTP function names', () => {
    expectUnique(
      'HTTP function names',
      httpFunctions.map((f) => f.name),
    );
  });

  it('entity names', () => {
    expectUnique(
      'entities',
      modules.flatMap((m) => m.entities),
    );
  });

  it('key prefixes', () => {
    expectUnique(
      'key prefixes',
      modules.flatMap((m) => m.keyPrefixes),
    );
  });

  it('id prefixes, each of which mints ids the API recognises', () => {
    const prefixes = modules.flatMap((m) => m.idPrefixes ?? []);
    expectUnique('id prefixes', prefixes);
    for (const prefix of prefixes) expect(mintId(prefix)).toMatch(idPattern);
  });

  it('counter plug-in module names, each the name of the module that carries it', () => {
    expectUnique(
      'counter plug-ins',
      counterPlugins.map((p) => p.module),
    );
    for (const plugin of counterPlugins) {
      const owner = modules.find((m) => m.counters === plugin);
      expect(owner?.name).toBe(plugin.module);
      // it counts records of its own module's entities
      for (const entity of plugin.entities) expect(owner?.entities).toContain(entity);
    }
  });

  it('counter fields (the statistics numbers), reported and derived', () => {
    const fields = counterPlugins.flatMap((p) => [...p.fields, ...(p.derivedFields ?? [])]);
    expectUnique('counter fields', fields);
    // the statistics rows carry these beside their own keys
    for (const own of ['gridId', 'name', 'community', 'asOf', 'totals', 'grids'])
      expect(fields).not.toContain(own);
  });

  it('counter month fields, reported and derived', () => {
    const fields = counterPlugins.flatMap((p) => [...p.monthFields, ...(p.derivedMonthFields ?? [])]);
    expectUnique('counter month fields', fields);
    expect(fields).not.toContain('month');
  });

  it('schedule names', () => {
    expectUnique(
      'schedules',
      schedules.map((s) => s.name),
    );
  });

  it('stream subscription names', () => {
    expectUnique(
      'stream subscriptions',
      streamSubscriptions.map((s) => s.name),
    );
  });
});
