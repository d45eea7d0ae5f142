import { z } from 'zod';
import {
  departureReasons,
  flows,
  maritalStatuses,
  statuses,
  verificationOutcomes,
} from '../domain/person.js';
import { entityId, isoDate, limitQuery, text } from '../http/schemas.js';

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{4,30}$/, 'must be a phone number (digits, optional +, spaces or dashes)');
const optionalText = (max: number) => text(max).nullable().optional();

export const registrationBody = z.strictObject({
  idNumber: z.string().max(40, 'must be 18 characters'),
  name: text(100),
  flow: z.enum(flows),
  gridId: entityId,
  address: text(300),
  arrivedOn: isoDate,
  maritalStatus: z.enum(maritalStatuses),
  phone: phone.nullable().optional(),
  occupation: optionalText(100),
  employer: optionalText(200),
  originRegion: optionalText(100),
  lastVerifiedOn: isoDate.nullable().optional(),
});
export type RegistrationBody = z.infer<typeof registrationBody>;

export const batchBody = z.strictObject({
  items: z.array(z.unknown()).min(1, 'send 1–100 items').max(100, 'send 1–100 items'),
});

export const updateBody = z
  .strictObject({
    phone: phone.nullable().optional(),
    gridId: entityId.optional(),
    address: text(300).optional(),
    maritalStatus: z.enum(maritalStatuses).optional(),
    occupation: optionalText(100),
    employer: optionalText(200),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export const verificationBody = z
  .strictObject({
    verifiedOn: isoDate,
    outcome: z.enum(verificationOutcomes),
    gridId: entityId.optional(),
    address: text(300).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === 'moved') return;
    for (const field of ['gridId', 'address'] as const) {
      if (v[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'only a "moved" verification changes it' });
    }
  });

export const departureBody = z.strictObject({ departedOn: isoDate, reason: z.enum(departureReasons) });

export const listQuery = z.strictObject({
  gridId: entityId.optional(),
  status: z.enum(statuses).optional(),
  idNumber: z.string().max(40).optional(),
  limit: limitQuery,
  cursor: z.string().max(2000).optional(),
});
