import { z } from 'zod';
import { isIsoDate, isIsoMonth, isValidTimeZone } from '../domain/dates.js';
import { idPattern } from '../table/keys.js';
import { roles } from './routes.js';

/** Field schemas shared by routes. Messages say what is expected, in the product's words. */
export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
export const isoDate = z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');
export const isoMonth = z.string().refine(isIsoMonth, 'must be a month YYYY-MM');
export const entityId = z.string().regex(idPattern, 'must be an id issued by this API');
export const timeZone = z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
export const role = z.enum(roles);

export const limitQuery = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be 1–100')
  .max(100, 'must be 1–100')
  .default(50);
