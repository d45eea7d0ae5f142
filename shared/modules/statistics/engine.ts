import {
  type Contributions,
  type CounterPlugin,
  fieldsFor,
  type StoredRecord,
} from '../../platform/counting.js';

/**
 * The statistics engine's arithmetic, generic over the modules' counter plug-ins: which module
 * counts a record (by its entity), what one write changes (delta), and sums of contributions.
 */
export interface CountingEngine {
  plugins: readonly CounterPlugin[];
  /** Which counters one stored record adds to (records no module counts give an empty map). */
  contributions(record: StoredRecord | undefined): Contributions;
  /** contributions(new) − contributions(old), without zero entries: what one write changes. */
  delta(oldRecord: StoredRecord | undefined, newRecord: StoredRecord | undefined): Contributions;
}

export function countingEngine(plugins: readonly CounterPlugin[]): CountingEngine {
  const byEntity = new Map<string, CounterPlugin>();
  for (const p of plugins) {
    for (const entity of p.entities) {
      const other = byEntity.get(entity);
      if (other) throw new Error(`entity ${entity} is counted by both ${other.module} and ${p.module}`);
      byEntity.set(entity, p);
    }
  }
  const contributions = (record: StoredRecord | undefined): Contributions => {
    if (!record) return new Map();
    const plugin = typeof record.entity === 'string' ? byEntity.get(record.entity) : undefined;
    return plugin ? plugin.contributions(record) : new Map();
  };
  return {
    plugins,
    contributions,
    delta(oldRecord, newRecord) {
      const out = contributions(newRecord);
      for (const [id, fields] of contributions(oldRecord)) {
        const target = fieldsFor(out, id);
        for (const [field, n] of fields) target.set(field, (target.get(field) ?? 0) - n);
      }
      return prune(out);
    },
  };
}

/** Sum several contribution maps (a batch collapsed to one delta per counter item). */
export function sum(parts: Iterable<Contributions>): Contributions {
  const out: Contributions = new Map();
  for (const part of parts) {
    for (const [id, fields] of part) {
      const target = fieldsFor(out, id);
      for (const [field, n] of fields) target.set(field, (target.get(field) ?? 0) + n);
    }
  }
  return prune(out);
}

export function prune(c: Contributions): Contributions {
  for (const [id, fields] of c) {
    for (const [field, n] of fields) if (n === 0) fields.delete(field);
    if (fields.size === 0) c.delete(id);
  }
  return c;
}
