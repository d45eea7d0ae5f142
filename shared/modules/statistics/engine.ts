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
  // An entity may be counted by several plug-ins (a person is counted by the people module and,
  // for the house it lives in, by housing): each counts into its own namespace, and the
  // contributions are their union.
  const byEntity = new Map<string, CounterPlugin[]>();
  for (const p of plugins) {
    for (const entity of p.entities) byEntity.set(entity, [...(byEntity.get(entity) ?? []), p]);
  }
  const contributions = (record: StoredRecord | undefined): Contributions => {
    if (!record) return new Map();
    const counting = typeof record.entity === 'string' ? (byEntity.get(record.entity) ?? []) : [];
    if (counting.length === 1) return (counting[0] as CounterPlugin).contributions(record);
    return sum(counting.map((p) => p.contributions(record)));
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
