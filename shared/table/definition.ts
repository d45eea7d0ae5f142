/**
 * THE table definitions. The AWS stack creates them with CDK, the local stack creates them on
 * DynamoDB Local from the same objects, and repositories read index names from here.
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
  partitionKey: string;
  sortKey?: string;
  indexes: readonly IndexDefinition[];
  stream?: 'NEW_AND_OLD_IMAGES';
  timeToLiveAttribute?: string;
}

export const registryIndexes = {
  /**
   * A grid's people in a stable order (`PERSON#<ULID>`: never changes while a person stays in the
   * grid), and its verification events (`EVENT#…`). Projects only what the counters need, so
   * reconciliation reads one index; never names, ID or phone numbers.
   */
  byGrid: {
    name: 'byGrid',
    partitionKey: 'gridPk',
    sortKey: 'gridSk',
    projection: [
      'entity',
      'action',
      'gridId',
      'flow',
      'sex',
      'birthDate',
      'maritalStatus',
      'status',
      'arrivedOn',
      'lastVerifiedOn',
      'departedOn',
      'closedOn',
      'verifiedOn',
      // when and which version: lets reconciliation check the stream has applied recent writes
      'version',
      'updatedAt',
      'at',
    ],
  },
  /** A grid's people of one status. */
  byGridStatus: {
    name: 'byGridStatus',
    partitionKey: 'gridStatusPk',
    sortKey: 'gridSk',
    projection: 'KEYS_ONLY',
  },
  /** All registrations of one ID number (keyed hash), newest first. */
  byIdNumber: { name: 'byIdNumber', partitionKey: 'idNumberPk', sortKey: 'gridSk', projection: 'KEYS_ONLY' },
  /** Sparse: only active registrations, by the day they were last seen (verified or arrived). */
  due: { name: 'due', partitionKey: 'duePk', sortKey: 'dueSk', projection: ['lastSeenOn', 'version'] },
} as const satisfies Record<string, IndexDefinition>;

export const registryTable = {
  name: 'RegistryTable',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: Object.values(registryIndexes),
  stream: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/** Powertools idempotency records (hashed keys only, 24 h TTL). */
export const idempotencyTable = {
  name: 'IdempotencyTable',
  partitionKey: 'id',
  indexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

export const tables: readonly TableDefinition[] = [registryTable, idempotencyTable];

/** Environment variable each function reads its table name from. */
export const tableEnv = { registry: 'REGISTRY_TABLE', idempotency: 'IDEMPOTENCY_TABLE' } as const;
