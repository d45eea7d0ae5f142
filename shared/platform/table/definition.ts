import { env } from '../config.js';

/**
 * The table definitions' shape and the platform's part of them: the base keys, the stream, TTL
 * and a few generic indexes any module may use. The composition root (shared/app) adds what
 * the modules contribute (attributes an index must project) and hands the one result to the
 * AWS stack, DynamoDB Local and the repositories.
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /**
   * `KEYS_ONLY`, `ALL`, or the non-key attributes to project. Indexes never project personal
   * data (ID number, phone, name): a reader of an index learns keys and hashes only.
   */
  projection: 'KEYS_ONLY' | 'ALL' | readonly string[];
}

export interface TableDefinition {
  /** Logical name: CDK construct id, and the local table name. */
  name: string;
  /** The environment variable a function reads the deployed table name from. */
  environmentVariable: string;
  partitionKey: string;
  sortKey?: string;
  indexes: readonly IndexDefinition[];
  stream?: 'NEW_AND_OLD_IMAGES';
  timeToLiveAttribute?: string;
}

/**
 * The generic indexes of the registry table. Modules put their records in them by writing the
 * index attributes (built by their own key builders):
 * - `byGrid`: a grid's records in a stable order; projects exactly the attributes the modules'
 *   counters read (contributed by the modules), so reconciliation reads one index per grid;
 * - `byGridStatus`: a grid's records of one status (keys only);
 * - `byIdNumber`: every record of one identity (a keyed hash, never the raw number), keys only;
 * - `due`: sparse — only records that can fall due carry it, keyed by the day that matters;
 * - `byTenant`: a tenant's records of one kind in a stable order (a page of a tenant-wide list
 *   is one Query, whatever the number of grids); projects what list filters need;
 * - `byParent`: a record's children of one kind, for records already listed elsewhere in
 *   `byTenant` (a landlord's houses, a house's letters, a house's occupants); projects what
 *   those lists filter on.
 */
export const registryIndexes = {
  byGrid: { name: 'byGrid', partitionKey: 'gridPk', sortKey: 'gridSk', projection: [] as readonly string[] },
  byGridStatus: {
    name: 'byGridStatus',
    partitionKey: 'gridStatusPk',
    sortKey: 'gridSk',
    projection: 'KEYS_ONLY',
  },
  byIdNumber: { name: 'byIdNumber', partitionKey: 'idNumberPk', sortKey: 'gridSk', projection: 'KEYS_ONLY' },
  due: { name: 'due', partitionKey: 'duePk', sortKey: 'dueSk', projection: [] as readonly string[] },
  byTenant: {
    name: 'byTenant',
    partitionKey: 'tenantListPk',
    sortKey: 'gridSk',
    projection: [] as readonly string[],
  },
  byParent: {
    name: 'byParent',
    partitionKey: 'parentPk',
    sortKey: 'parentSk',
    projection: [] as readonly string[],
  },
} as const satisfies Record<string, IndexDefinition>;

export type RegistryIndexName = keyof typeof registryIndexes;

/** What a module adds to the table: attributes each generic index must project for it. */
export type IndexProjections = Partial<Record<RegistryIndexName, readonly string[]>>;

export const registryTable = {
  name: 'RegistryTable',
  environmentVariable: env.registryTable,
  partitionKey: 'pk',
  sortKey: 'sk',
  stream: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Powertools idempotency records (hashed keys only, 24 h TTL). */
export const idempotencyTable = {
  name: 'IdempotencyTable',
  environmentVariable: env.idempotencyTable,
  partitionKey: 'id',
  indexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

/** The registry table with every module's projections merged into the generic indexes (order kept). */
export function composeRegistryTable(contributions: readonly IndexProjections[]): TableDefinition {
  const indexes = Object.entries(registryIndexes).map(([key, index]): IndexDefinition => {
    if (!Array.isArray(index.projection)) return index;
    const attributes: string[] = [...index.projection];
    for (const c of contributions) {
      for (const a of c[key as RegistryIndexName] ?? []) if (!attributes.includes(a)) attributes.push(a);
    }
    // No module projects anything into it: keys only (DynamoDB refuses INCLUDE of nothing).
    return { ...index, projection: attributes.length === 0 ? 'KEYS_ONLY' : attributes };
  });
  return { ...registryTable, indexes };
}
