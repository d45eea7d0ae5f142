import { z } from 'zod';
import { text } from '../../platform/http/schemas.js';

export const gridBody = z.strictObject({ name: text(200), community: text(200) });
export const gridSchema = z.object({ gridId: z.string(), name: z.string(), community: z.string() });
export const gridListResponse = z.object({ items: z.array(gridSchema), nextCursor: z.null() });
