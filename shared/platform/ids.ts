import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/**
 * Identifiers are ULIDs with a short type prefix (`p_…`, `g_…`): sortable by creation time,
 * unguessable enough, never reused. Each module names its prefix (see its manifest).
 */
export const mintId = (prefix: string): string => `${prefix}_${ulid()}`;

/** Anything in a path that is not an id we minted is simply unknown (404). */
export const idPattern = /^[a-z]{1,2}_[0-9A-HJKMNP-TV-Z]{26}$/;
