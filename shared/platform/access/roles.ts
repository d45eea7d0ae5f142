/** The roles an API key can have (contract: "Tenants and keys"). */
export const roles = ['admin', 'office', 'grid', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Named groups of roles, so routes and use cases say who in the product's words. */
export const anyRole: readonly Role[] = roles;
/** Registry work: registering, changing, writing off. */
export const registryWriters: readonly Role[] = ['admin', 'office'];
/** Door-to-door work: the writers and grid officers. */
export const fieldWorkers: readonly Role[] = ['admin', 'office', 'grid'];
export const adminOnly: readonly Role[] = ['admin'];

/** Roles that see raw identifiers (ID and phone numbers) in lists; viewers never see them anywhere. */
export const seesIdentifiersInLists = (role: Role): boolean => role === 'admin' || role === 'office';
/** Roles that see raw identifiers on one record's page. */
export const seesIdentifiersOnRecord = (role: Role): boolean => role !== 'viewer';
