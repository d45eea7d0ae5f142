import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { IndexDefinition, TableDefinition } from '../../shared/platform/table/definition.js';

export interface RegistryTablesProps {
  tables: readonly TableDefinition[];
  /** `dev` stages may be torn down with their data; every other stage keeps (and protects) it. */
  isDev: boolean;
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

function projectionOf(
  index: IndexDefinition,
): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> {
  const { projection } = index;
  if (Array.isArray(projection)) {
    return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...projection] };
  }
  switch (projection) {
    case 'ALL':
      return { projectionType: dynamodb.ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
    default:
      throw new Error(`index ${index.name}: unknown projection ${JSON.stringify(projection)}`);
  }
}

/**
 * The DynamoDB tables, created from THE table definitions (shared/app, from shared/platform/table/definition.ts) in a loop, so the
 * AWS tables and the DynamoDB Local tables cannot drift apart. Each table is a direct child of `scope`
 * with the definition's name as its id, so its logical id stays stable (a changed logical id would
 * replace, or with RETAIN orphan, the table).
 *
 * Encryption: the AWS managed key (aws/dynamodb). Every use is logged in CloudTrail and nothing has to be
 * granted or rotated by us; a customer managed key would add a key policy to maintain and kms grants to
 * every reader (including the stream consumer) for no control this product needs today.
 */
export function createTables(
  scope: Construct,
  props: RegistryTablesProps,
): ReadonlyMap<string, dynamodb.Table> {
  const byName = new Map<string, dynamodb.Table>();
  for (const def of props.tables) {
    const table = new dynamodb.Table(scope, def.name, {
      partitionKey: stringKey(def.partitionKey),
      sortKey: def.sortKey ? stringKey(def.sortKey) : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: !props.isDev,
      removalPolicy: props.isDev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      stream: def.stream ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
      timeToLiveAttribute: def.timeToLiveAttribute,
    });
    for (const index of def.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        ...projectionOf(index),
      });
    }
    byName.set(def.name, table);
  }
  return byName;
}
