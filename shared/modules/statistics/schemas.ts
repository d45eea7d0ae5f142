import { z } from 'zod';
import type { CounterPlugin } from '../../platform/counting.js';
import { isIsoMonth, monthsBetween } from '../../platform/dates.js';
import { cursorQuery, entityId, isoMonth, limitQuery, timestamp } from '../../platform/http/schemas.js';

/** The numbers every module reports for a grid (or a sum of grids), as one object schema. */
export function numbersSchema(plugins: readonly CounterPlugin[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const p of plugins) {
    for (const f of p.fields) shape[f] = z.number().int();
    for (const f of p.derivedFields ?? []) shape[f] = z.number().nullable();
  }
  return z.object(shape);
}

export function statsResponses(plugins: readonly CounterPlugin[]) {
  const numbers = numbersSchema(plugins);
  const month: Record<string, z.ZodType> = { month: z.string() };
  for (const p of plugins) {
    for (const f of p.monthFields) month[f] = z.number().int();
    for (const f of p.derivedMonthFields ?? []) month[f] = z.number().nullable();
  }
  return {
    scope: z.object({
      asOf: z.string(),
      totals: numbers,
      grids: z.array(numbers.extend({ gridId: z.string(), name: z.string(), community: z.string() })),
    }),
    grid: numbers.extend({ gridId: z.string(), asOf: z.string() }),
    monthly: z.object({ months: z.array(z.object(month)) }),
  };
}

export const monthlyQuery = z
  .strictObject({ from: isoMonth, to: isoMonth, gridId: entityId.optional() })
  .superRefine((q, ctx) => {
    if (!isIsoMonth(q.from) || !isIsoMonth(q.to)) return; // already reported on the field
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (monthsBetween(q.from, q.to).length > 120) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 120 months at once' });
    }
  });

export const reconciliationsQuery = z.strictObject({ limit: limitQuery, cursor: cursorQuery });

export const reconciliationRunSchema = z.object({
  runId: z.string(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  recordsRead: z.number().int(),
  countersChecked: z.number().int(),
  driftFound: z.number().int(),
  driftRepaired: z.number().int(),
  gridsChecked: z.number().int(),
  gridsSkipped: z.number().int(),
  malformedRecords: z.number().int(),
});

export const reconciliationsResponse = z.object({
  items: z.array(reconciliationRunSchema),
  nextCursor: z.string().nullable(),
});
