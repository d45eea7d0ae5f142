import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: every `entry` in the shared definitions is relative to it (both hosts). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
