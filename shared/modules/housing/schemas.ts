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
import {
  closureReasons,
  houseStatuses,
  houseTypes,
  houseUses,
  lettingModes,
  managementClasses,
} from './rules/house.js';

/** Request and response schemas of the house and landlord routes (docs/housing.md). */

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{4,30}$/, 'must be a phone number (digits, optional +, spaces or dashes)');

const contact = z.strictObject({ name: text(100), phone });

const address = z.strictObject({
  estate: text(200),
  building: optionalText(50),
  unit: optionalText(50),
  floor: optionalText(50),
  room: optionalText(50),
  door: optionalText(50),
});

const location = z.strictObject({
  latitude: z.number().min(-90, 'must be −90..90').max(90, 'must be −90..90'),
  longitude: z.number().min(-180, 'must be −180..180').max(180, 'must be −180..180'),
});

/** The details of a house anyone may give when creating or changing it. */
const details = {
  address,
  standardAddressCode: optionalText(64),
  location: location.nullable().optional(),
  plaque: text(64),
  houseType: z.enum(houseTypes),
  use: z.enum(houseUses),
  lettingMode: z.enum(lettingModes),
  area: z.number().positive('must be more than 0').max(100_000, 'at most 100,000 m²').nullable().optional(),
  roomsLet: z.number().int('must be a whole number').min(0).max(10_000).nullable().optional(),
  monthlyRent: z.number().min(0, 'must not be negative').max(100_000_000).nullable().optional(),
  maxOccupants: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000)
    .nullable()
    .optional(),
  managementClass: z.enum(managementClasses),
  landlordId: entityId.nullable().optional(),
  caretaker: contact.nullable().optional(),
  securityResponsible: contact.nullable().optional(),
};

export const houseBody = z.strictObject({
  gridId: entityId,
  status: z.enum(['discovered', 'registered']),
  ...details,
  discoveredOn: isoDate.optional(),
  registeredOn: isoDate.optional(),
});
export type HouseBody = z.infer<typeof houseBody>;

export const batchBody = z.strictObject({
  items: z.array(z.unknown()).min(1, 'send 1–100 items').max(100, 'send 1–100 items'),
});

export const houseUpdateBody = z
  .strictObject({
    address: address.optional(),
    standardAddressCode: details.standardAddressCode,
    location: details.location,
    plaque: details.plaque.optional(),
    houseType: details.houseType.optional(),
    use: details.use.optional(),
    lettingMode: details.lettingMode.optional(),
    area: details.area,
    roomsLet: details.roomsLet,
    monthlyRent: details.monthlyRent,
    maxOccupants: details.maxOccupants,
    managementClass: details.managementClass.optional(),
    landlordId: details.landlordId,
    caretaker: details.caretaker,
    securityResponsible: details.securityResponsible,
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export const registrationBody = z.strictObject({
  registeredOn: isoDate.optional(),
  landlordId: entityId.optional(),
});
export const banBody = z.strictObject({ reason: text(500), basis: text(500), bannedOn: isoDate });
export const liftBody = z.strictObject({ liftedOn: isoDate });
export const closureBody = z.strictObject({ reason: z.enum(closureReasons), closedOn: isoDate });
export const reopeningBody = z.strictObject({ registeredOn: isoDate });
export const inspectionBody = z.strictObject({
  inspectedOn: isoDate,
  findings: text(2000),
  hazard: z.boolean().optional(),
});

export const houseListQuery = z.strictObject({
  gridId: entityId.optional(),
  status: z.enum(houseStatuses).optional(),
  landlordId: entityId.optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const worklistQuery = z.strictObject({
  gridId: entityId.optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const landlordHousesQuery = z.strictObject({
  status: z.enum(houseStatuses).optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

const contactView = z.object({ name: z.string(), phone: z.string() });

/** A house as the API shows it (contact phones masked for roles that must not see them). */
export const houseSchema = z.object({
  houseId: z.string(),
  gridId: z.string(),
  address: z.object({
    estate: z.string(),
    building: z.string().nullable().optional(),
    unit: z.string().nullable().optional(),
    floor: z.string().nullable().optional(),
    room: z.string().nullable().optional(),
    door: z.string().nullable().optional(),
  }),
  standardAddressCode: z.string().nullable(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
  plaque: z.string(),
  houseType: z.enum(houseTypes),
  use: z.enum(houseUses),
  lettingMode: z.enum(lettingModes),
  area: z.number().nullable(),
  roomsLet: z.number().int().nullable(),
  monthlyRent: z.number().nullable(),
  maxOccupants: z.number().int().nullable(),
  managementClass: z.enum(managementClasses),
  landlordId: z.string().nullable(),
  caretaker: contactView.nullable(),
  securityResponsible: contactView.nullable(),
  status: z.enum(houseStatuses),
  discoveredOn: z.string().nullable(),
  registeredOn: z.string().nullable(),
  bannedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  lastInspectedOn: z.string().nullable(),
  ban: z.object({ reason: z.string(), basis: z.string(), bannedOn: z.string() }).nullable(),
  closure: z.object({ reason: z.enum(closureReasons), closedOn: z.string() }).nullable(),
  lastInspection: z.object({ inspectedOn: z.string(), findings: z.string(), hazard: z.boolean() }).nullable(),
  securityLetterLapsedOn: z.string().nullable(),
  inspectionDueOn: z.string().nullable(),
  occupants: z.number().int(),
  overOccupied: z.boolean(),
  version: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type HouseView = z.output<typeof houseSchema>;

export const houseListResponse = pageOf(houseSchema);

export const houseBatchResponse = z.object({
  results: z.array(
    z.object({
      status: z.number().int(),
      house: houseSchema.optional(),
      houseId: z.string().optional(),
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
      registeredOn: z.string().optional(),
      discoveredOn: z.string().optional(),
      bannedOn: z.string().optional(),
      closedOn: z.string().optional(),
      liftedOn: z.string().optional(),
      inspectedOn: z.string().optional(),
      hazard: z.boolean().optional(),
    }),
  ),
});

export const landlordBody = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('individual'),
      name: text(100),
      idNumber: z.string().max(40, 'must be 18 characters'),
      phone,
      address: text(300),
      workplace: optionalText(200),
    }),
    z.strictObject({
      kind: z.literal('organisation'),
      name: text(200),
      creditCode: z.string().max(40, 'must be 18 characters'),
      legalRepresentative: text(100),
      phone,
      address: text(300),
    }),
  ],
  { error: 'must be "individual" or "organisation"' },
);

export const landlordUpdateBody = z
  .strictObject({
    name: text(200).optional(),
    phone: phone.optional(),
    address: text(300).optional(),
    workplace: optionalText(200),
    legalRepresentative: text(100).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export const landlordListQuery = z.strictObject({
  q: z.string().trim().min(1).max(100).optional(),
  limit: limitQuery,
  cursor: cursorQuery,
});

/** A landlord as the API shows it: an individual's ID number and every phone masked per role. */
export const landlordSchema = z.object({
  landlordId: z.string(),
  kind: z.enum(['individual', 'organisation']),
  name: z.string(),
  idNumber: z.string().optional(),
  workplace: z.string().nullable().optional(),
  creditCode: z.string().optional(),
  legalRepresentative: z.string().optional(),
  phone: z.string(),
  address: z.string(),
  version: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type LandlordView = z.output<typeof landlordSchema>;

export const landlordListResponse = pageOf(landlordSchema);
