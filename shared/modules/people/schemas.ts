import { z } from 'zod';
import {
  cursorQuery,
  entityId,
  isoDate,
  limitQuery,
  optionalText,
  pageOf,
  text,
  timestamp,
} from '../../platform/http/schemas.js';
import { departureReasons, flows, maritalStatuses, statuses, verificationOutcomes } from './rules/person.js';

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{4,30}$/, 'must be a phone number (digits, optional +, spaces or dashes)');

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
  /** The house the person lives in: a discovered or registered house of `gridId`. */
  houseId: entityId.nullable().optional(),
});
export type RegistrationBody = z.infer<typeof registrationBody>;

export const batchBody = z.strictObject({
  items: z.array(z.unknown()).min(1, 'send 1–100 items').max(100, 'send 1–100 items'),
});

export const updateBody = z
  .strictObject({
    phone: phone.nullable().optional(),
    gridId: entityId.optional(),
    /** `null` clears it; a new `gridId` without `houseId` clears it too. */
    houseId: entityId.nullable().optional(),
    address: text(300).optional(),
    maritalStatus: z.enum(maritalStatuses).optional(),
    occupation: optionalText(100),
    employer: optionalText(200),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

/** Only a `moved` verification may change grid, address or house: a rule of the lifecycle (rules/person.ts). */
export const verificationBody = z.strictObject({
  verifiedOn: isoDate,
  outcome: z.enum(verificationOutcomes),
  gridId: entityId.optional(),
  address: text(300).optional(),
  houseId: entityId.nullable().optional(),
});

export const departureBody = z.strictObject({ departedOn: isoDate, reason: z.enum(departureReasons) });

export const listQuery = z.strictObject({
  gridId: entityId.optional(),
  status: z.enum(statuses).optional(),
  idNumber: z.string().max(40).optional(),
  /** A house's occupants (its active registrations). */
  houseId: entityId.optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

/** A person as the API shows it (`idNumber` and `phone` masked for roles that must not see them). */
export const personSchema = z.object({
  personId: z.string(),
  cardNumber: z.string(),
  idNumber: z.string(),
  name: z.string(),
  sex: z.enum(['female', 'male']),
  birthDate: z.string(),
  flow: z.enum(flows),
  gridId: z.string(),
  address: z.string(),
  houseId: z.string().nullable(),
  arrivedOn: z.string(),
  lastVerifiedOn: z.string().nullable(),
  maritalStatus: z.enum(maritalStatuses),
  phone: z.string().nullable(),
  occupation: z.string().nullable(),
  employer: z.string().nullable(),
  originRegion: z.string().nullable(),
  status: z.enum(statuses),
  departedOn: z.string().nullable(),
  departureReason: z.enum(departureReasons).nullable(),
  version: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export type PersonView = z.output<typeof personSchema>;

export const personListResponse = pageOf(personSchema);

export const batchResponse = z.object({
  results: z.array(
    z.object({
      status: z.number().int(),
      person: personSchema.optional(),
      personId: z.string().optional(),
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
      verifiedOn: z.string().optional(),
      outcome: z.enum(verificationOutcomes).optional(),
    }),
  ),
});

export const accessLogQuery = z.strictObject({ limit: limitQuery, cursor: cursorQuery });

const accessActor = z.object({ keyId: z.string(), name: z.string() });

/**
 * Who saw whose raw identifiers: key, subject, route, when and which fields (never the values).
 * A person's entry keeps `personId` (as before subjects were named) and names its `subject`; a
 * landlord's (an individual's ID number, any landlord's phone) and a house's (its caretaker's
 * and security responsible's phones) name only their `subject`. A person's log holds person
 * entries only; an API key's log holds every kind.
 */
export const accessLogEntry = z.union([
  z.object({
    at: timestamp,
    personId: z.string(),
    subject: z.object({ kind: z.literal('person'), personId: z.string() }),
    actor: accessActor,
    route: z.string(),
    fields: z.array(z.enum(['idNumber', 'phone'])),
  }),
  z.object({
    at: timestamp,
    subject: z.object({ kind: z.literal('landlord'), landlordId: z.string() }),
    actor: accessActor,
    route: z.string(),
    fields: z.array(z.enum(['idNumber', 'phone'])),
  }),
  z.object({
    at: timestamp,
    subject: z.object({ kind: z.literal('house'), houseId: z.string() }),
    actor: accessActor,
    route: z.string(),
    fields: z.array(z.enum(['caretaker.phone', 'securityResponsible.phone'])),
  }),
]);

export const accessLogResponse = pageOf(accessLogEntry);

export const dueQuery = z.strictObject({
  gridId: entityId.optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});
