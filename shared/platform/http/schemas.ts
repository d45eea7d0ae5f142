import { z } from 'zod';
import { roles } from '../access/roles.js';
import { canonicalTimeZone, isIsoDate, isIsoMonth } from '../dates.js';
import { idPattern } from '../ids.js';

/** Field schemas shared by routes. Messages say what is expected, in the product's words. */
/** Control characters (C0, DEL, C1) and lone UTF-16 surrogates: never part of a name or an address. */
const unprintable =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !unprintable.test(s), 'must not contain control characters or broken Unicode');
export const optionalText = (max: number) => text(max).nullable().optional();
export const isoDate = z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');
export const isoMonth = z.string().refine(isIsoMonth, 'must be a month YYYY-MM');
export const entityId = z.string().regex(idPattern, 'must be an id issued by this API');
/** An IANA time zone, stored under its canonical name (`asia/shanghai` → `Asia/Shanghai`); offsets are refused. */
export const timeZone = z
  .string()
  .max(64, 'must be an IANA time zone such as Asia/Shanghai')
  .refine(
    (tz) => canonicalTimeZone(tz) !== undefined,
    'must be an IANA time zone such as Asia/Shanghai (not an offset)',
  )
  .transform((tz) => canonicalTimeZone(tz) as string);
export const role = z.enum(roles);
export const timestamp = z.iso.datetime();

export const limitQuery = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be 1–100')
  .max(100, 'must be 1–100')
  .default(50);

export const cursorQuery = z.string().max(2000).optional();

/** A page of a list, as the contract shapes every list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
