import type { CounterPlugin } from './counting.js';
import type { AnyRouteDeclaration } from './http/route.js';
import type { IndexProjections } from './table/definition.js';

export type TableAccess = 'none' | 'read' | 'readWrite';

/** DynamoDB actions a function's code uses (IAM action names). */
export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem';

/** A Lambda function serving routes (one per module, or more where a route needs another role). */
export interface HttpGroup {
  /** Function name: the CDK id is `Http<Name>` (keep it stable: renaming replaces the function). */
  name: string;
  /** Entry file relative to the repository root (what NodejsFunction bundles, what the local host loads). */
  entry: string;
  description: string;
  /**
   * The tenant's own items, reached through the tenant access role assumed with the tenant as a
   * session tag (IAM allows only keys starting with `TENANT#<tenantId>`); `none`: no tenant data.
   */
  tableAccess: TableAccess;
  /**
   * Platform-level items (no tenant prefix) this function writes with its own role: exactly
   * these actions on keys with these leading keys (e.g. the API-key lookup items).
   */
  platformAccess?: { actions: readonly DynamoAction[]; leadingKeys: readonly string[] };
}

/** A scheduled job: the AWS stack makes an EventBridge schedule of it; locally the scheduler runs it. */
export interface ScheduleDefinition {
  name: string;
  entry: string;
  description: string;
  /** Daily at this local time in `timeZone`. */
  at: { hour: number; minute: number };
  timeZone: string;
  timeoutSeconds: number;
  tableAccess: 'read' | 'readWrite';
  /**
   * Exactly the DynamoDB actions its code sends to the registry table (a transaction's Put,
   * Update, Delete and ConditionCheck count as PutItem, UpdateItem, DeleteItem and
   * ConditionCheckItem; a Query may use the table's indexes): its role holds these and no other
   * table action. The AWS stack refuses a schedule without them.
   */
  tableActions?: readonly DynamoAction[];
  /**
   * The handler may stop before its work is done (time budget) and report `complete: false`;
   * it is then invoked again to carry on from its checkpoint — on AWS by invoking itself
   * asynchronously, locally by the scheduler and the job runner.
   */
  resumable: boolean;
  input: Readonly<Record<string, unknown>>;
}

/** A stream consumer: the AWS stack makes an event source mapping of it; locally the poller runs it. */
export interface StreamSubscription {
  name: string;
  entry: string;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** How long one batch may run: its Lambda timeout on AWS, the deadline the local poller gives it. */
  timeoutSeconds: number;
  /** Retries of a failing batch before it goes to the dead-letter destination. */
  retryAttempts: number;
  maxRecordAgeSeconds: number;
  bisectBatchOnError: boolean;
  /**
   * Exactly the DynamoDB actions its handler sends to the registry table (as for a schedule);
   * the event source mapping's own stream actions come with the mapping. Required by the stack.
   */
  tableActions?: readonly DynamoAction[];
  /** Records reach the handler only if their NewImage matches one of these (string equality). */
  filters: readonly Readonly<Record<string, readonly string[]>>[];
}

/**
 * What a domain module exposes to the composition root (its `index.ts`). Everything else in
 * the module's folder is its own business.
 */
export interface Module {
  name: string;
  /** Its HTTP function and the routes it serves. */
  http?: HttpGroup;
  /** Further HTTP functions of the module, for routes that need a role of their own (`group`). */
  httpGroups?: readonly HttpGroup[];
  routes?: readonly AnyRouteDeclaration[];
  /** Its counters, plugged into the statistics engine. */
  counters?: CounterPlugin;
  schedules?: readonly ScheduleDefinition[];
  /** Stream consumers it runs. */
  streams?: readonly StreamSubscription[];
  /** Attributes the table's generic indexes must project for its records. */
  indexProjections?: IndexProjections;
  /** The `entity` values of the records it stores (unique across modules). */
  entities: readonly string[];
  /** The first segment after `TENANT#<t>#` or the sort-key prefix of its items (unique across modules). */
  keyPrefixes: readonly string[];
  /** Prefixes of the ids it mints (`p` for `p_…`). */
  idPrefixes?: readonly string[];
}
