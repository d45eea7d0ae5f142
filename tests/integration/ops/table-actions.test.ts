import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext, loadHandler } from '../../../infra/local/handlers.js';
import { scheduledEvent } from '../../../infra/local/scheduler.js';
import { schedules, streamSubscriptions } from '../../../shared/app/index.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { addDays } from '../../../shared/platform/dates.js';
import { dynamoClient, registryTableName } from '../../../shared/platform/table/client.js';
import { peopleGauges } from '../support/counters.js';
import { createTestTables, type TestTables } from '../support/dynamo.js';
import { world } from '../support/world.js';

/**
 * Issue 10, point 6: each job and stream consumer is granted exactly the table actions its
 * definition lists (tests/infra compares the template with the list). Here the list is checked
 * against the code: the handlers run for real on DynamoDB Local, every request they send to the
 * registry table is recorded as the IAM actions it needs (a transaction's items as PutItem,
 * UpdateItem, DeleteItem, ConditionCheckItem), and that set must be exactly the list.
 */
type Input = Record<string, unknown>;
const recorded = new Set<string>();
let recording = false;

/** The IAM actions a request on the registry table needs. */
function actionsOf(commandName: string, input: Input, table: string): string[] {
  const name = commandName.replace(/Command$/, '');
  const onTable = (t: unknown) => t === table;
  if (['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan'].includes(name))
    return onTable(input.TableName) ? [`dynamodb:${name}`] : [];
  if (name === 'BatchGetItem' || name === 'BatchWriteItem')
    return table in ((input.RequestItems as Input | undefined) ?? {}) ? [`dynamodb:${name}`] : [];
  if (name === 'TransactWriteItems' || name === 'TransactGetItems') {
    const iam: Record<string, string> = {
      Put: 'dynamodb:PutItem',
      Update: 'dynamodb:UpdateItem',
      Delete: 'dynamodb:DeleteItem',
      ConditionCheck: 'dynamodb:ConditionCheckItem',
      Get: 'dynamodb:GetItem',
    };
    return ((input.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? []).flatMap(
      (item) =>
        Object.entries(item)
          .filter(([, op]) => onTable(op?.TableName))
          .map(([kind]) => iam[kind] ?? `dynamodb:?${kind}`),
    );
  }
  return [`dynamodb:${name}`];
}

let tables: TestTables;

beforeAll(async () => {
  tables = await createTestTables('ops-actions');
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      if (recording) {
        for (const a of actionsOf(context.commandName ?? '?', args.input as Input, registryTableName()))
          recorded.add(a);
      }
      return next(args);
    },
    { step: 'initialize', name: 'tableActionRecorder' },
  );
});

afterAll(() => {
  recording = false;
});

async function record(run: () => Promise<unknown>): Promise<string[]> {
  recorded.clear();
  recording = true;
  try {
    await run();
  } finally {
    recording = false;
  }
  return [...recorded].sort();
}

const context = (name: string): Context => lambdaContext(name, 900);

describe('the table actions each job and stream consumer sends are exactly the ones it lists', () => {
  it('close-stale-registrations', async () => {
    const def = schedules.find((s) => s.name === 'close-stale-registrations')!;
    const w = await world('actions-stale', 1, { tables });
    const longAgo = addDays(w.today, -300);
    for (let i = 0; i < 3; i++) await w.registerPerson({ arrivedOn: longAgo });
    await w.registerPerson({ arrivedOn: w.today }); // not due
    const handler = await loadHandler(def.entry);
    const used = await record(() => handler(scheduledEvent(def, new Date()), context(def.name)));
    expect(used).toEqual([...(def.tableActions ?? [])].sort());
  });

  it('reconcile-counters', async () => {
    const def = schedules.find((s) => s.name === 'reconcile-counters')!;
    const w = await world('actions-reconcile', 2, { tables });
    for (let i = 0; i < 6; i++) await w.registerPerson({ gridId: w.grids[i % 2] });
    const streamHandler = await loadHandler(streamSubscriptions[0]!.entry);
    for (const e of await w.streamEvents()) await streamHandler(e, context('stream'));
    await w.registerPerson({ gridId: w.grids[0] }); // recent: its applied-marker is looked for
    for (const e of await w.streamEvents()) await streamHandler(e, context('stream'));
    // drift to repair
    await counterRepository(w.principal).repair(
      { module: 'people', gridId: w.grids[1]!, kind: 'gauge', bucket: '' },
      new Map([['flow|inflow', 5]]),
      (await peopleGauges(w, w.grids[1]!)).revision,
    );
    const handler = await loadHandler(def.entry);
    const event = { ...scheduledEvent(def, new Date()), detail: { settleMs: 0 } };
    const used = await record(() => handler(event, context(def.name)));
    expect(used).toEqual([...(def.tableActions ?? [])].sort());
  });

  it.each(streamSubscriptions.map((s) => [s.name, s] as const))('the %s stream consumer', async (_n, sub) => {
    const w = await world(`actions-${sub.name}`, 1, { tables });
    for (let i = 0; i < 3; i++) await w.registerPerson();
    const handler = await loadHandler(sub.entry);
    const events = await w.streamEvents();
    const used = await record(async () => {
      for (const e of events) await handler(e, context(sub.name));
      // a redelivery finds its markers (the dedupe path)
      for (const e of events) await handler(e, context(sub.name));
    });
    expect(used).toEqual([...(sub.tableActions ?? [])].sort());
  });

  it('the recorder sees what IAM would check (a transaction is its items)', () => {
    const table = 'T';
    expect(
      actionsOf(
        'TransactWriteItemsCommand',
        {
          TransactItems: [
            { Put: { TableName: table } },
            { ConditionCheck: { TableName: table } },
            { Delete: { TableName: 'other' } },
          ],
        },
        table,
      ),
    ).toEqual(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem']);
    expect(actionsOf('ScanCommand', { TableName: table }, table)).toEqual(['dynamodb:Scan']);
    expect(actionsOf('BatchWriteItemCommand', { RequestItems: { T: [] } }, table)).toEqual([
      'dynamodb:BatchWriteItem',
    ]);
  });
});
