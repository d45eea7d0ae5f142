import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../../shared/modules/people/repository.js';
import { documentClient, registryTableName } from '../../../shared/platform/table/client.js';
import { CrossTenantKeyError } from '../../../shared/platform/table/tenant-guard.js';
import { asPlatform, withinTenant } from '../../../shared/platform/table/tenant-scope.js';
import { createTestTables } from '../support/dynamo.js';

/**
 * The tenant-key guard on the shared client (both hosts): inside tenant A's request, any key of
 * another tenant — or of the platform — is refused before it is sent, so a key builder's bug
 * fails loudly in tests instead of reading another township's data.
 */
const A = { tenantId: 't_A' };
const db = () => documentClient();

beforeAll(async () => {
  await createTestTables('guard');
});

const inA = <T>(work: () => Promise<T>) => withinTenant(A, work);

describe('the tenant-key guard', () => {
  it("lets a tenant's request address its own keys", async () => {
    const table = registryTableName();
    await expect(
      inA(() => db().send(new GetCommand({ TableName: table, Key: { pk: 'TENANT#t_A', sk: 'TENANT' } }))),
    ).resolves.toBeDefined();
    await expect(
      inA(() =>
        db().send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': 'TENANT#t_A#PERSON#p_1' },
          }),
        ),
      ),
    ).resolves.toBeDefined();
  });

  it("refuses a forged key with another tenant's prefix, in every kind of request", async () => {
    const table = registryTableName();
    const forged = { pk: 'TENANT#t_B#PERSON#p_1', sk: 'PERSON' };
    const attempts: (() => Promise<unknown>)[] = [
      () => db().send(new GetCommand({ TableName: table, Key: forged })),
      () => db().send(new GetCommand({ TableName: table, Key: { pk: 'TENANT#t_AB', sk: 'TENANT' } })),
      () => db().send(new GetCommand({ TableName: table, Key: { pk: 'APIKEY#abc', sk: 'APIKEY' } })),
      () =>
        db().send(
          new QueryCommand({
            TableName: table,
            IndexName: 'byGrid',
            KeyConditionExpression: 'gridPk = :pk',
            ExpressionAttributeValues: { ':pk': 'TENANT#t_B#GRID#g_1' },
          }),
        ),
      () =>
        db().send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': 'TENANT#t_A' },
          }),
        ),
      () => db().send(new ScanCommand({ TableName: table })),
      () =>
        db().send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: [{ pk: 'TENANT#t_A#PERSON#p_1', sk: 'PERSON' }, forged] } },
          }),
        ),
      () =>
        db().send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table, Item: { pk: 'TENANT#t_A#X', sk: 'X' } } },
              { Put: { TableName: table, Item: { ...forged, name: 'x' } } },
            ],
          }),
        ),
      // a key builder's bug: a repository bound to another tenant, used in A's request
      () => personRepository({ tenantId: 't_B' }).get('p_01ARZ3NDEKTSV4RRFFQ69G5FAV'),
    ];
    for (const attempt of attempts) await expect(inA(attempt)).rejects.toBeInstanceOf(CrossTenantKeyError);
  });

  it('leaves platform-level work (no tenant scope, or asPlatform) alone', async () => {
    const table = registryTableName();
    const lookup = { pk: 'APIKEY#abc', sk: 'APIKEY' };
    await expect(db().send(new GetCommand({ TableName: table, Key: lookup }))).resolves.toBeDefined();
    await expect(
      inA(() => asPlatform('test', () => db().send(new GetCommand({ TableName: table, Key: lookup })))),
    ).resolves.toBeDefined();
  });
});
