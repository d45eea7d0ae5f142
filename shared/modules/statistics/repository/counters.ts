import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CounterItemRef } from '../../../platform/counting.js';
import { registryTableName } from '../../../platform/table/client.js';
import { batchGet, queryAll, updateIfUnchanged } from '../../../platform/table/query.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { statisticsKeys as keys } from '../keys.js';

/** Attributes of a counter item that are not counter fields. */
const bookkeeping = new Set(['pk', 'sk', 'entity', 'tenantId', 'gridId', 'month', 'revision', 'updatedAt']);

export function fieldsOf(item: Record<string, unknown> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(item ?? {}))
    if (!bookkeeping.has(k) && typeof v === 'number') out.set(k, v);
  return out;
}

export interface StoredCounterItem {
  ref: CounterItemRef;
  fields: Map<string, number>;
  revision: number | undefined;
}

/** One UpdateItem that ADDs amounts to a counter item (creating it) and bumps its revision. */
export function counterUpdate(
  t: TenantContext,
  ref: CounterItemRef,
  fields: ReadonlyMap<string, number>,
  condition?: { revision: number | undefined },
): UpdateCommandInput & { UpdateExpression: string } {
  const names: Record<string, string> = { '#revision': 'revision' };
  const values: Record<string, unknown> = {
    ':one': 1,
    ':now': new Date().toISOString(),
    ':entity': 'counters',
    ':tenantId': t.tenantId,
    ':gridId': ref.gridId,
  };
  const adds = ['#revision :one'];
  let i = 0;
  for (const [field, n] of fields) {
    names[`#f${i}`] = field;
    values[`:f${i}`] = n;
    adds.push(`#f${i} :f${i}`);
    i++;
  }
  const conditional = condition
    ? condition.revision === undefined
      ? { ConditionExpression: 'attribute_not_exists(#revision)' }
      : {
          ConditionExpression: '#revision = :rev',
          ExpressionAttributeValues: { ...values, ':rev': condition.revision },
        }
    : {};
  return {
    TableName: registryTableName(),
    Key: keys.counterItem(t, ref),
    UpdateExpression: `ADD ${adds.join(', ')} SET updatedAt = :now, entity = :entity, tenantId = :tenantId, gridId = :gridId`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...conditional,
  };
}

/** Counter items of one tenant: read them, and repair or compact them only if unchanged since read. */
export function counterRepository(t: TenantContext) {
  const table = registryTableName();
  const items = (found: Record<string, unknown>[]): StoredCounterItem[] =>
    found.flatMap((it) => {
      const ref = keys.counterRefOf({ pk: it.pk as string, sk: it.sk as string });
      return ref ? [{ ref, fields: fieldsOf(it), revision: it.revision as number | undefined }] : [];
    });
  const gauges = keys.gauges(t);
  const months = keys.months(t);
  return {
    /** Every gauge item of every grid, of every module: one Query (paged past 1 MB). */
    async allGaugeItems(): Promise<StoredCounterItem[]> {
      return items(
        await queryAll({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': gauges.pk },
        }),
      );
    },

    /**
     * Counter items by their refs (one BatchGet per 100; missing items are absent): what a
     * module reads when it needs a few of its own items, not every module's items of a grid
     * (the housing module's occupancy of a page of houses: their buckets only).
     */
    async itemsOf(refs: readonly CounterItemRef[]): Promise<StoredCounterItem[]> {
      if (refs.length === 0) return [];
      return items(
        await batchGet(
          table,
          refs.map((ref) => keys.counterItem(t, ref)),
        ),
      );
    },

    /** Every gauge item of one grid, of every module. */
    async gaugeItems(gridId: string, options: { consistent?: boolean } = {}): Promise<StoredCounterItem[]> {
      return items(
        await queryAll({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :grid)',
          ExpressionAttributeValues: { ':pk': gauges.pk, ':grid': gauges.gridPrefix(gridId) },
          ConsistentRead: options.consistent ?? false,
        }),
      );
    },

    /** Month items between two months (inclusive), of every module; of one grid if given. */
    async monthItems(range: {
      from: string;
      to: string;
      gridId?: string;
      consistent?: boolean;
    }): Promise<StoredCounterItem[]> {
      const bounds = months.range(range.from, range.to);
      return items(
        await queryAll({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(range.gridId !== undefined ? { FilterExpression: 'gridId = :grid' } : {}),
          ExpressionAttributeValues: {
            ':pk': months.pk,
            ':from': bounds.from,
            ':to': bounds.to,
            ...(range.gridId !== undefined ? { ':grid': range.gridId } : {}),
          },
          ConsistentRead: range.consistent ?? false,
        }),
      );
    },

    /**
     * Drop fields that have come to zero (a birth date or a last-seen day nobody has any more),
     * so a grid's counter item does not grow with history; only if unchanged since it was read.
     */
    async compact(ref: CounterItemRef, zeroFields: readonly string[], revision: number): Promise<boolean> {
      if (zeroFields.length === 0) return true;
      const names: Record<string, string> = { '#revision': 'revision' };
      zeroFields.forEach((f, i) => {
        names[`#z${i}`] = f;
      });
      return updateIfUnchanged({
        TableName: table,
        Key: keys.counterItem(t, ref),
        UpdateExpression: `REMOVE ${zeroFields.map((_, i) => `#z${i}`).join(', ')}`,
        ConditionExpression: '#revision = :rev',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':rev': revision },
      });
    },

    /** Repair one counter item by ADDing the difference, only if nobody changed it since it was read. */
    async repair(
      ref: CounterItemRef,
      difference: ReadonlyMap<string, number>,
      revision: number | undefined,
    ): Promise<boolean> {
      return updateIfUnchanged(counterUpdate(t, ref, difference, { revision }));
    },
  };
}
