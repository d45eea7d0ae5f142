import { z } from 'zod';
import { entityId, role, text, timestamp, timeZone } from '../../platform/http/schemas.js';

export const signupBody = z.strictObject({
  townshipName: text(200),
  adminName: text(200),
  adminEmail: z.email('must be an email address').max(320),
});

export const signupResponse = z.object({ tenantId: z.string(), keyId: z.string(), apiKey: z.string() });

export const settingsSchema = z.object({
  staleAfterDays: z.number().int(),
  verificationCycleDays: z.number().int(),
  timeZone: z.string(),
  maxKeyAgeDays: z.number().int().nullable(),
  // the housing module's (docs/housing.md, "Tenant settings")
  inspectionIntervalDays: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }),
  letterExpiryWarningDays: z.number().int(),
  extraLetterKinds: z.array(z.string()),
});

const days = () => z.number().int('must be a whole number of days').min(1).max(3650);

/** A letter kind a township adds: lower-case words joined by dashes. */
const letterKind = z
  .string()
  .max(40, 'at most 40 characters')
  .regex(/^[a-z]+(-[a-z]+)*$/, 'must be lower-case words joined by dashes, e.g. parking-agreement');

export const tenantResponse = z.object({
  tenantId: z.string(),
  townshipName: z.string(),
  settings: settingsSchema,
});

export const settingsBody = z
  .strictObject({
    staleAfterDays: z.number().int('must be a whole number of days').min(1).max(3650).optional(),
    verificationCycleDays: z.number().int('must be a whole number of days').min(1).max(3650).optional(),
    timeZone: timeZone.optional(),
    maxKeyAgeDays: z.number().int('must be a whole number of days').min(1).max(3650).nullable().optional(),
    inspectionIntervalDays: z.strictObject({ A: days(), B: days(), C: days() }).optional(),
    letterExpiryWarningDays: z.number().int('must be a whole number of days').min(1).max(365).optional(),
    extraLetterKinds: z
      .array(letterKind)
      .max(20, 'at most 20 kinds')
      .refine((kinds) => new Set(kinds).size === kinds.length, 'must not name a kind twice')
      .optional(),
  })
  .refine((s) => Object.keys(s).length > 0, 'name at least one setting to change');

export const apiKeyBody = z
  .strictObject({
    name: text(200),
    role,
    gridIds: z.array(entityId).min(1, 'list at least one grid').max(100).optional(),
    expiresAt: timestamp.optional(),
  })
  .superRefine((k, ctx) => {
    if (k.role === 'grid' && !k.gridIds)
      ctx.addIssue({ code: 'custom', path: ['gridIds'], message: 'required for the grid role' });
    if (k.role === 'admin' && k.gridIds)
      ctx.addIssue({ code: 'custom', path: ['gridIds'], message: 'an admin key covers every grid' });
  });

export const apiKeySchema = z.object({
  keyId: z.string(),
  name: z.string(),
  role,
  gridIds: z.array(z.string()).nullable(),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
  rotatedFrom: z.string().nullable(),
  /** The last (UTC) day the key was used, recorded at most once a day. */
  lastUsedOn: z.string().nullable(),
});

export const issuedApiKeyResponse = apiKeySchema
  .omit({ revokedAt: true, lastUsedOn: true })
  .extend({ apiKey: z.string() });

export const rotationBody = z.strictObject({
  /** How long the old key keeps working (minutes; 0 = refused at once). */
  overlapMinutes: z.number().int('must be a whole number of minutes').min(0).max(10_080).default(60),
  expiresAt: timestamp.optional(),
});

export const apiKeyListResponse = z.object({ items: z.array(apiKeySchema) });

/** Who the caller is: what the console shows and hides by (the key, its role and grids, the township). */
export const meResponse = z.object({
  tenantId: z.string(),
  townshipName: z.string(),
  keyId: z.string(),
  keyName: z.string(),
  role,
  gridIds: z.array(z.string()).nullable(),
  settings: settingsSchema,
});
