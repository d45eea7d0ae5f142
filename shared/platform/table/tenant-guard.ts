import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { InitializeHandlerArguments, MiddlewareStack } from '@smithy/types';
import { currentScope } from './tenant-scope.js';

/** A key for another tenant (or a platform item) inside a tenant's request: always a bug. */
export class CrossTenantKeyError extends Error {}

type Marshalled = Record<string, AttributeValue> | undefined;
type Input = Record<string, unknown>;

/** The partition key of an item or key, marshalled (`{ S: … }`) or not (the guard sees either). */
const pkOf = (item: Marshalled | Record<string, unknown>): string | undefined => {
  const pk = item?.pk as AttributeValue | string | undefined;
  return typeof pk === 'string' ? pk : pk?.S;
};

/** The partition keys a command addresses in `table` (undefined: it does not touch that table). */
export function partitionKeysOf(
  command: string,
  input: Input,
  table: string,
): (string | undefined)[] | undefined {
  const name = command.replace(/Command$/, '');
  if (['GetItem', 'DeleteItem', 'UpdateItem', 'PutItem', 'Query', 'Scan'].includes(name)) {
    if (input.TableName !== table) return undefined;
    if (name === 'PutItem') return [pkOf(input.Item as Marshalled)];
    if (name === 'Query') {
      // Tenant-scoped queries name their partition value `:pk` (a convention the guard enforces).
      const value = (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'];
      return [typeof value === 'string' ? value : (value as AttributeValue | undefined)?.S];
    }
    if (name === 'Scan') return [undefined];
    return [pkOf(input.Key as Marshalled)];
  }
  if (name === 'BatchGetItem' || name === 'BatchWriteItem') {
    const request = (input.RequestItems as Record<string, unknown> | undefined)?.[table];
    if (request === undefined) return undefined;
    if (name === 'BatchGetItem') return ((request as { Keys?: Marshalled[] }).Keys ?? []).map(pkOf);
    return (request as { PutRequest?: { Item: Marshalled }; DeleteRequest?: { Key: Marshalled } }[]).map(
      (w) => pkOf(w.PutRequest?.Item ?? w.DeleteRequest?.Key),
    );
  }
  if (name === 'TransactWriteItems' || name === 'TransactGetItems') {
    const items = (input.TransactItems ?? []) as Record<
      string,
      { TableName?: string; Key?: Marshalled; Item?: Marshalled }
    >[];
    const keys = items
      .map((t) => Object.values(t)[0])
      .filter((op) => op?.TableName === table)
      .map((op) => pkOf(op?.Item ?? op?.Key));
    return keys.length > 0 ? keys : undefined;
  }
  return undefined;
}

/** Throw unless every partition key belongs to the tenant (its partition, or one under it). */
export function assertTenantKeys(
  tenantId: string,
  command: string,
  keys: readonly (string | undefined)[],
): void {
  const own = `TENANT#${tenantId}`;
  for (const pk of keys) {
    if (pk === own || pk?.startsWith(`${own}#`)) continue;
    throw new CrossTenantKeyError(
      `${command} inside tenant ${tenantId}'s request addresses ${pk === undefined ? 'an unkeyed request' : 'a key outside the tenant'}`,
    );
  }
}

/**
 * Add the guard to a DynamoDB client: inside a tenant's scope, every command on the registry
 * table must address only that tenant's partitions (Scan never). It runs after the document
 * client has marshalled the input, before anything is sent.
 */
export function guardTenantKeys(stack: MiddlewareStack<object, object>, table: () => string): void {
  stack.add(
    (next, context) => async (args: InitializeHandlerArguments<object>) => {
      const scope = currentScope();
      if (scope?.kind === 'tenant') {
        const command = (context as { commandName?: string }).commandName ?? 'command';
        const keys = partitionKeysOf(command, args.input as Input, table());
        if (keys) assertTenantKeys(scope.tenantId, command, keys);
      }
      return next(args);
    },
    { step: 'serialize', name: 'tenantKeyGuard', priority: 'high' },
  );
}
