import { z } from 'zod';
import {
  cursorQuery,
  entityId,
  isoDate,
  limitQuery,
  pageOf,
  text,
  timestamp,
} from '../../../platform/http/schemas.js';
import { letterKindPattern, letterStatuses, maxKindLength } from './rules/letter.js';

/**
 * A kind's shape (lower-case words and dashes); whether it is one the township uses (built-in
 * or `extraLetterKinds`) is a rule of rules/letter.ts, checked with the tenant's settings.
 */
const kind = z
  .string()
  .max(maxKindLength, `at most ${maxKindLength} characters`)
  .regex(letterKindPattern, 'must be lower-case words joined by dashes, e.g. security-responsibility');

const party = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('landlord'), landlordId: entityId }),
    z.strictObject({ kind: z.literal('person'), personId: entityId }),
  ],
  { error: 'must be {"kind":"landlord","landlordId":…} or {"kind":"person","personId":…}' },
);

export const letterBody = z
  .strictObject({
    kind,
    party,
    houseId: entityId,
    signedOn: isoDate,
    validFrom: isoDate,
    validUntil: isoDate,
  })
  .refine((b) => b.validFrom <= b.validUntil, {
    message: 'validUntil is before validFrom',
    path: ['validUntil'],
  });
export type LetterBody = z.infer<typeof letterBody>;

export const batchBody = z.strictObject({
  items: z.array(z.unknown()).min(1, 'send 1–100 items').max(100, 'send 1–100 items'),
});

export const revocationBody = z.strictObject({ reason: text(500) });

export const listQuery = z.strictObject({
  houseId: entityId.optional(),
  /** One grid of the key's scope. */
  gridId: entityId.optional(),
  kind: kind.optional(),
  status: z.enum(letterStatuses).optional(),
  /** Letters valid until strictly before this day. */
  expiringBefore: isoDate.optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const expiringQuery = z.strictObject({
  gridId: entityId.optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

/** A letter as the API shows it (it holds no personal data: the party is an id). */
export const letterSchema = z.object({
  letterId: z.string(),
  kind: z.string(),
  party: z.union([
    z.object({ kind: z.literal('landlord'), landlordId: z.string() }),
    z.object({ kind: z.literal('person'), personId: z.string() }),
  ]),
  houseId: z.string(),
  gridId: z.string(),
  status: z.enum(letterStatuses),
  signedOn: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  signedBy: z.string(),
  expiringFlaggedOn: z.string().nullable(),
  revokedOn: z.string().nullable(),
  revocationReason: z.string().nullable(),
  version: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type LetterView = z.output<typeof letterSchema>;

export const letterListResponse = pageOf(letterSchema);

export const batchResponse = z.object({
  results: z.array(
    z.object({
      status: z.number().int(),
      letter: letterSchema.optional(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});

export const historyResponse = z.object({
  items: z.array(
    z.object({
      at: timestamp,
      action: z.string(),
      actor: z.object({ keyId: z.string(), name: z.string() }),
      changedFields: z.array(z.string()),
    }),
  ),
});
