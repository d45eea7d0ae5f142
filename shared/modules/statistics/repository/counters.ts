import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CounterItemRef } from '../../../platform/counting.js';
import { registryTableName } from '../../../platform/table/client.js';
import { queryAll, updateIfUnchanged } from '../../../platform/table/query.js';
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
  const items = (found: Record<string, unknown>[], gridId: string): StoredCounterItem[] =>
    found.flatMap((it) => {
      const ref = keys.counterRefOf(gridId, it.sk as string);
      return ref ? [{ ref, fields: fieldsOf(it), revision: it.revision as number | undefined }] : [];
    });
  return {
    /** Every gauge item of a grid, of every module. */
    async gaugeItems(gridId: string, options: { consistent?: boolean } = {}): Promise<StoredCounterItem[]> {
      const found = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.gridPartition(t, gridId), ':sk': keys.gaugesPrefix },
        ConsistentRead: options.consistent ?? false,
      });
      return items(found, gridId);
    },

    /** Month items of one grid, of every module, between two months (inclusive). */
    async monthItems(
      gridId: string,
      range: { from: string; to: string; consistent?: boolean },
    ): Promise<StoredCounterItem[]> {
      const bounds = keys.monthRange(range.from, range.to);
      const found = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.gridPartition(t, gridId),
          ':from': bounds.from,
          ':to': bounds.to,
        },
        ConsistentRead: range.consistent ?? false,
      });
      return items(found, gridId);
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
