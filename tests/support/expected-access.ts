import type { Role } from '../../shared/platform/access/roles.js';

/**
 * Who may call what, written out by hand from the contract (and the route table before the
 * modules split): NOT read back from the table. A route added to the table without an entry
 * here fails, so every new route's roles are decided on purpose.
 */
export const expectedAccess: Record<string, 'public' | readonly Role[]> = {
  // platform
  'GET /v1/health': 'public',
  'GET /v1/openapi.json': 'public',
  // tenants and keys
  'POST /v1/signup': 'public',
  'GET /v1/tenant': ['admin', 'office', 'grid', 'viewer'],
  'PATCH /v1/tenant/settings': ['admin'],
  'POST /v1/api-keys': ['admin'],
  'GET /v1/api-keys': ['admin'],
  'DELETE /v1/api-keys/{keyId}': ['admin'],
  'POST /v1/api-keys/{keyId}/rotation': ['admin'],
  'GET /v1/me': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/people/due': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/people/{personId}/access-log': ['admin'],
  'GET /v1/api-keys/{keyId}/access-log': ['admin'],
  // grids
  'POST /v1/grids': ['admin'],
  'GET /v1/grids': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/grids/{gridId}': ['admin', 'office', 'grid', 'viewer'],
  // people
  'POST /v1/people': ['admin', 'office'],
  'GET /v1/people': ['admin', 'office', 'grid', 'viewer'],
  'POST /v1/people/batch': ['admin', 'office'],
  'GET /v1/people/{personId}': ['admin', 'office', 'grid', 'viewer'],
  'PATCH /v1/people/{personId}': ['admin', 'office'],
  'POST /v1/people/{personId}/verifications': ['admin', 'office', 'grid'],
  'POST /v1/people/{personId}/departure': ['admin', 'office'],
  'GET /v1/people/{personId}/history': ['admin', 'office'],
  // statistics
  'GET /v1/stats': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/stats/monthly': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/grids/{gridId}/stats': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/reconciliations': ['admin'],
  // housing: houses and landlords (docs/housing.md, "Routes")
  'POST /v1/houses': ['admin', 'office', 'grid'],
  'POST /v1/houses/batch': ['admin', 'office', 'grid'],
  'GET /v1/houses': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/houses/banned-occupied': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/houses/lapsed-letters': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/houses/{houseId}': ['admin', 'office', 'grid', 'viewer'],
  'PATCH /v1/houses/{houseId}': ['admin', 'office'],
  'POST /v1/houses/{houseId}/registration': ['admin', 'office', 'grid'],
  'POST /v1/houses/{houseId}/ban': ['admin', 'office'],
  'POST /v1/houses/{houseId}/lift': ['admin', 'office'],
  'POST /v1/houses/{houseId}/closure': ['admin', 'office'],
  'POST /v1/houses/{houseId}/reopening': ['admin', 'office'],
  'POST /v1/houses/{houseId}/inspections': ['admin', 'office', 'grid'],
  'GET /v1/houses/{houseId}/history': ['admin', 'office', 'grid'],
  'POST /v1/landlords': ['admin', 'office', 'grid'],
  'GET /v1/landlords': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/landlords/{landlordId}': ['admin', 'office', 'grid', 'viewer'],
  'PATCH /v1/landlords/{landlordId}': ['admin', 'office'],
  'GET /v1/landlords/{landlordId}/houses': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/landlords/{landlordId}/history': ['admin', 'office', 'grid'],
  'GET /v1/landlords/{landlordId}/access-log': ['admin'],
  'GET /v1/houses/{houseId}/access-log': ['admin'],
  // housing: letters (docs/housing.md, "Routes")
  'POST /v1/letters': ['admin', 'office', 'grid'],
  'POST /v1/letters/batch': ['admin', 'office', 'grid'],
  'GET /v1/letters': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/letters/expiring': ['admin', 'office', 'grid', 'viewer'],
  'GET /v1/letters/{letterId}': ['admin', 'office', 'grid', 'viewer'],
  'POST /v1/letters/{letterId}/revocation': ['admin', 'office'],
  'GET /v1/letters/{letterId}/history': ['admin', 'office', 'grid'],
};
