import { describe, expect, it } from 'vitest';
import {
  counterPlugins,
  httpFunctions,
  modules,
  registryTable,
  routes,
  schedules,
  streamSubscriptions,
} from '../../../shared/app/index.js';
import type { Contributions, CounterPlugin, StoredRecord } from '../../../shared/platform/counting.js';
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

/**
 * A counter plug-in counts its own module's entities; another module's entity only for the
 * fields written here (by hand, per plug-in and entity): the housing counters count a person by
 * the house it lives in, and nothing else of it. The check is behavioural — every other field of
 * a sample record is removed and changed, and the plug-in's contributions must not move.
 */
const borrowed: Record<string, Record<string, readonly string[]>> = {
  housing: { person: ['entity', 'status', 'gridId', 'houseId'] },
};

/** A record of each borrowed entity that the borrowing plug-in counts (every field the entity has). */
const samples: Record<string, StoredRecord> = {
  person: {
    pk: 'TENANT#t_1#PERSON#p_1',
    sk: 'PERSON',
    entity: 'person',
    personId: 'p_1',
    cardNumber: 'C00000001',
    idNumber: '11010519491231002X',
    name: 'Zhang Min',
    sex: 'female',
    birthDate: '1949-12-31',
    flow: 'inflow',
    gridId: 'g_1',
    houseId: 'h_1',
    address: 'Building 3',
    arrivedOn: '2026-01-01',
    lastVerifiedOn: null,
    maritalStatus: 'married',
    phone: '13800000000',
    status: 'active',
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
};

const plainOf = (c: Contributions) => JSON.stringify([...c].map(([id, f]) => [id, [...f].sort()]).sort());

/** Each way a plug-in reaches beyond its own entities or its borrowed fields, as a readable line. */
function borrowingViolations(
  plugin: CounterPlugin,
  ownEntities: readonly string[],
  allowed: typeof borrowed,
  sampleOf: typeof samples,
): string[] {
  const found: string[] = [];
  for (const entity of plugin.entities) {
    if (ownEntities.includes(entity)) continue;
    const fields = allowed[plugin.module]?.[entity];
    const sample = sampleOf[entity];
    if (!fields || !sample) {
      found.push(`${plugin.module} counts ${entity} without a list of the fields it borrows`);
      continue;
    }
    const base = plainOf(plugin.contributions(sample));
    if (base === '[]')
      found.push(`${plugin.module} counts nothing of the ${entity} sample: the check proves nothing`);
    for (const field of Object.keys(sample).filter((f) => !fields.includes(f))) {
      const { [field]: _dropped, ...without } = sample;
      for (const changed of [without, { ...sample, [field]: 'changed' }]) {
        let after: string;
        try {
          after = plainOf(plugin.contributions(changed));
        } catch {
          after = 'throws';
        }
        if (after !== base) {
          found.push(`${plugin.module} reads ${entity}.${field}, which it does not borrow`);
          break;
        }
      }
    }
  }
  return found;
}

describe('the borrowing check itself (negative control)', () => {
  const counting = (reads: (r: StoredRecord) => string): CounterPlugin => ({
    module: 'spy',
    entities: ['spy-thing', 'person'],
    streamFilters: [],
    contributions: (r) => new Map([[`spy|g|gauge|`, new Map([[reads(r), 1]])]]),
    fields: [],
    read: () => ({}),
    monthFields: [],
  });

  it('reports a plug-in reading a field it does not borrow, naming the field', () => {
    const spy = counting((r) => `${r.houseId}|${r.flow}`);
    expect(
      borrowingViolations(spy, ['spy-thing'], { spy: { person: ['entity', 'houseId'] } }, samples),
    ).toEqual(['spy reads person.flow, which it does not borrow']);
  });

  it('reports another module’s entity counted with no list at all', () => {
    const spy = counting((r) => String(r.houseId));
    expect(borrowingViolations(spy, ['spy-thing'], {}, samples)).toEqual([
      'spy counts person without a list of the fields it borrows',
    ]);
  });

  it('passes a plug-in that reads only what it borrows', () => {
    const spy = counting((r) => String(r.houseId));
    expect(borrowingViolations(spy, ['spy-thing'], { spy: { person: ['houseId'] } }, samples)).toEqual([]);
  });
});

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
      // it counts its own module's entities, and others' only for the fields it borrows
      expect(borrowingViolations(plugin, owner?.entities ?? [], borrowed, samples)).toEqual([]);
    }
  });

  it('every borrowed field is projected into byGrid (reconciliation reads it there)', () => {
    const byGrid = registryTable.indexes.find((i) => i.name === 'byGrid')?.projection;
    expect(Array.isArray(byGrid)).toBe(true);
    for (const fields of Object.values(borrowed).flatMap((b) => Object.values(b)))
      for (const f of fields) if (f !== 'entity') expect(byGrid).toContain(f);
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
