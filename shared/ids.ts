import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Identifiers are ULIDs with a type prefix: sortable by creation time, unguessable enough, never reused. */
export const newId = {
  tenant: () => `t_${ulid()}`,
  apiKey: () => `k_${ulid()}`,
  grid: () => `g_${ulid()}`,
  person: () => `p_${ulid()}`,
  event: () => `e_${ulid()}`,
  run: () => `r_${ulid()}`,
};
