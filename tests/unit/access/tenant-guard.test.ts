import { describe, expect, it } from 'vitest';
import {
  assertTenantKeys,
  CrossTenantKeyError,
  guardTenantKeys,
  partitionKeysOf,
} from '../../../shared/platform/table/tenant-guard.js';
import { asPlatform, withinTenant } from '../../../shared/platform/table/tenant-scope.js';

/**
 * The client-side tenant guard (no I/O): which partition keys each DynamoDB command addresses,
 * whether they all belong to the tenant, and the middleware that refuses a command before it
 * is sent. The same guard against DynamoDB Local: tests/integration/tenants/tenant-guard.
 */
const TABLE = 'registry';
const OTHER = 'idempotency';
const own = 'TENANT#t_1';
const S = (s: string) => ({ S: s });

describe('partitionKeysOf', () => {
  it('reads the Key of GetItem, DeleteItem and UpdateItem, marshalled or not', () => {
    for (const command of ['GetItemCommand', 'DeleteItemCommand', 'UpdateItemCommand']) {
      expect(partitionKeysOf(command, { TableName: TABLE, Key: { pk: S(own), sk: S('X') } }, TABLE)).toEqual([
        own,
      ]);
      expect(partitionKeysOf(command, { TableName: TABLE, Key: { pk: own, sk: 'X' } }, TABLE)).toEqual([own]);
      expect(partitionKeysOf(command, { TableName: TABLE, Key: {} }, TABLE)).toEqual([undefined]);
    }
  });

  it('reads the Item of PutItem (not its Key)', () => {
    expect(partitionKeysOf('PutItemCommand', { TableName: TABLE, Item: { pk: S(own) } }, TABLE)).toEqual([
      own,
    ]);
    expect(
      partitionKeysOf(
        'PutItemCommand',
        { TableName: TABLE, Key: { pk: S(own) }, Item: { pk: S('TENANT#t_2') } },
        TABLE,
      ),
    ).toEqual(['TENANT#t_2']);
  });

  it('reads the :pk value of a Query, marshalled or not; a Query without one is unkeyed', () => {
    const query = (values: unknown) => ({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: values,
    });
    expect(partitionKeysOf('QueryCommand', query({ ':pk': S(own) }), TABLE)).toEqual([own]);
    expect(partitionKeysOf('QueryCommand', query({ ':pk': own }), TABLE)).toEqual([own]);
    expect(partitionKeysOf('QueryCommand', query({ ':other': S(own) }), TABLE)).toEqual([undefined]);
    expect(partitionKeysOf('QueryCommand', query(undefined), TABLE)).toEqual([undefined]);
  });

  it('a Scan is always unkeyed, whatever keys it carries', () => {
    expect(partitionKeysOf('ScanCommand', { TableName: TABLE }, TABLE)).toEqual([undefined]);
    expect(
      partitionKeysOf(
        'ScanCommand',
        { TableName: TABLE, Key: { pk: S(own) }, ExclusiveStartKey: { pk: S(own) } },
        TABLE,
      ),
    ).toEqual([undefined]);
  });

  it('single-item commands on another table are not its business', () => {
    for (const command of [
      'GetItemCommand',
      'PutItemCommand',
      'QueryCommand',
      'ScanCommand',
      'UpdateItemCommand',
    ])
      expect(
        partitionKeysOf(command, { TableName: OTHER, Key: { pk: S('X') }, Item: { pk: S('X') } }, TABLE),
      ).toBe(undefined);
  });

  it('reads every key of a BatchGetItem and every request of a BatchWriteItem on the table', () => {
    expect(
      partitionKeysOf(
        'BatchGetItemCommand',
        {
          RequestItems: {
            [TABLE]: { Keys: [{ pk: S(own) }, { pk: S('TENANT#t_2') }] },
            [OTHER]: { Keys: [{ pk: S('Z') }] },
          },
        },
        TABLE,
      ),
    ).toEqual([own, 'TENANT#t_2']);
    expect(partitionKeysOf('BatchGetItemCommand', { RequestItems: { [TABLE]: {} } }, TABLE)).toEqual([]);
    expect(
      partitionKeysOf(
        'BatchWriteItemCommand',
        {
          RequestItems: {
            [TABLE]: [
              { PutRequest: { Item: { pk: S(own) } } },
              { DeleteRequest: { Key: { pk: S('TENANT#t_3') } } },
            ],
          },
        },
        TABLE,
      ),
    ).toEqual([own, 'TENANT#t_3']);
    expect(partitionKeysOf('BatchGetItemCommand', { RequestItems: { [OTHER]: { Keys: [] } } }, TABLE)).toBe(
      undefined,
    );
    expect(partitionKeysOf('BatchWriteItemCommand', { RequestItems: { [OTHER]: [] } }, TABLE)).toBe(
      undefined,
    );
    expect(partitionKeysOf('BatchWriteItemCommand', {}, TABLE)).toBe(undefined);
    // A request that is neither a put nor a delete addresses no key of the tenant: unkeyed.
    expect(partitionKeysOf('BatchWriteItemCommand', { RequestItems: { [TABLE]: [{}] } }, TABLE)).toEqual([
      undefined,
    ]);
  });

  it('reads every operation of a transaction on the table (Item or Key), ignoring other tables', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: TABLE, Item: { pk: S(own) } } },
        { Update: { TableName: TABLE, Key: { pk: S('TENANT#t_1#GAUGES') } } },
        { ConditionCheck: { TableName: TABLE, Key: { pk: S('TENANT#t_9') } } },
        { Delete: { TableName: OTHER, Key: { pk: S('elsewhere') } } },
      ],
    };
    expect(partitionKeysOf('TransactWriteItemsCommand', input, TABLE)).toEqual([
      own,
      'TENANT#t_1#GAUGES',
      'TENANT#t_9',
    ]);
    expect(
      partitionKeysOf(
        'TransactGetItemsCommand',
        { TransactItems: [{ Get: { TableName: TABLE, Key: { pk: S(own) } } }] },
        TABLE,
      ),
    ).toEqual([own]);
    expect(
      partitionKeysOf(
        'TransactWriteItemsCommand',
        { TransactItems: [{ Put: { TableName: OTHER, Item: {} } }] },
        TABLE,
      ),
    ).toBe(undefined);
    expect(partitionKeysOf('TransactWriteItemsCommand', {}, TABLE)).toBe(undefined);
    // An empty operation is skipped, not a crash.
    expect(
      partitionKeysOf(
        'TransactWriteItemsCommand',
        { TransactItems: [{}, { Put: { TableName: TABLE, Item: { pk: S(own) } } }] },
        TABLE,
      ),
    ).toEqual([own]);
    expect(partitionKeysOf('TransactWriteItemsCommand', { TransactItems: [{}] }, TABLE)).toBe(undefined);
  });

  it('only transactions are read as transactions', () => {
    const items = { TransactItems: [{ Put: { TableName: TABLE, Item: { pk: S('TENANT#t_2') } } }] };
    expect(partitionKeysOf('DescribeTableCommand', items, TABLE)).toBe(undefined);
    expect(partitionKeysOf('ExecuteTransactionCommand', items, TABLE)).toBe(undefined);
  });

  it('commands that address no item are not its business', () => {
    for (const command of [
      'DescribeTableCommand',
      'ListTablesCommand',
      'GetItem2Command',
      'ExecuteStatementCommand',
    ])
      expect(partitionKeysOf(command, { TableName: TABLE, Key: { pk: S('X') } }, TABLE)).toBe(undefined);
  });

  it('accepts command names with or without the Command suffix', () => {
    expect(partitionKeysOf('GetItem', { TableName: TABLE, Key: { pk: S(own) } }, TABLE)).toEqual([own]);
  });
});

describe('assertTenantKeys', () => {
  it('passes the tenant partition and partitions under it', () => {
    expect(() =>
      assertTenantKeys('t_1', 'GetItemCommand', [own, `${own}#GAUGES`, `${own}#PERSON#p_1`]),
    ).not.toThrow();
    expect(() => assertTenantKeys('t_1', 'GetItemCommand', [])).not.toThrow();
  });

  it('refuses another tenant, even one whose id starts like this one, and names no key', () => {
    for (const pk of [
      'TENANT#t_2',
      'TENANT#t_10',
      'TENANT#t_1x',
      'TENANT#t_',
      'TENANTS',
      'APIKEY#abc',
      `x${own}`,
    ]) {
      let thrown: unknown;
      try {
        assertTenantKeys('t_1', 'PutItemCommand', [own, pk]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, pk).toBeInstanceOf(CrossTenantKeyError);
      expect((thrown as Error).message).toBe(
        "PutItemCommand inside tenant t_1's request addresses a key outside the tenant",
      );
      expect((thrown as Error).message).not.toContain(pk);
    }
  });

  it('refuses an unkeyed request (a Scan, a Query without :pk)', () => {
    expect(() => assertTenantKeys('t_1', 'ScanCommand', [undefined])).toThrow(
      new CrossTenantKeyError("ScanCommand inside tenant t_1's request addresses an unkeyed request"),
    );
  });
});

describe('guardTenantKeys (the client middleware)', () => {
  type Middleware = (
    next: (args: { input: unknown }) => Promise<unknown>,
    context: { commandName?: string },
  ) => (args: { input: unknown }) => Promise<unknown>;

  function installed(table = TABLE) {
    let middleware: Middleware | undefined;
    let options: unknown;
    const stack = {
      add(mw: Middleware, opts: unknown) {
        middleware = mw;
        options = opts;
      },
    };
    guardTenantKeys(stack as never, () => table);
    if (!middleware) throw new Error('no middleware added');
    const mw = middleware;
    const sent: unknown[] = [];
    const send = (commandName: string | undefined, input: unknown) =>
      mw(
        async (args) => {
          sent.push(args.input);
          return 'sent';
        },
        commandName === undefined ? {} : { commandName },
      )({ input });
    return { options, send, sent };
  }

  const foreign = { TableName: TABLE, Key: { pk: S('TENANT#t_2'), sk: S('X') } };
  const mine = { TableName: TABLE, Key: { pk: S(own), sk: S('X') } };

  it('runs before anything is sent: the serialize step, high priority, named', () => {
    expect(installed().options).toEqual({ step: 'serialize', name: 'tenantKeyGuard', priority: 'high' });
  });

  it('inside a tenant scope, sends the tenant’s own keys and refuses any other before sending', async () => {
    const g = installed();
    await expect(withinTenant({ tenantId: 't_1' }, () => g.send('GetItemCommand', mine))).resolves.toBe(
      'sent',
    );
    await expect(withinTenant({ tenantId: 't_1' }, () => g.send('GetItemCommand', foreign))).rejects.toThrow(
      CrossTenantKeyError,
    );
    await expect(
      withinTenant({ tenantId: 't_1' }, () => g.send('ScanCommand', { TableName: TABLE })),
    ).rejects.toThrow("ScanCommand inside tenant t_1's request addresses an unkeyed request");
    expect(g.sent).toEqual([mine]);
  });

  it('reads the table name when a command is sent, not when the guard is installed', async () => {
    let table = 'not-yet';
    const g = (() => {
      let middleware: Middleware | undefined;
      guardTenantKeys({ add: (mw: Middleware) => (middleware = mw) } as never, () => table);
      return middleware as Middleware;
    })();
    table = TABLE;
    const send = (input: unknown) => g(async () => 'sent', { commandName: 'GetItemCommand' })({ input });
    await expect(withinTenant({ tenantId: 't_1' }, () => send(foreign))).rejects.toThrow(CrossTenantKeyError);
  });

  it('leaves other tables, platform work and work outside any scope alone', async () => {
    const g = installed();
    await expect(
      withinTenant({ tenantId: 't_1' }, () => g.send('GetItemCommand', { ...foreign, TableName: OTHER })),
    ).resolves.toBe('sent');
    await expect(asPlatform('api-key lookup', () => g.send('GetItemCommand', foreign))).resolves.toBe('sent');
    await expect(g.send('ScanCommand', { TableName: TABLE })).resolves.toBe('sent');
    expect(g.sent).toHaveLength(3);
  });
});
