import { anyRole, fieldWorkers, registryWriters } from '../../../platform/access/roles.js';
import { declareRoute } from '../../../platform/http/route.js';
import {
  batchBody,
  batchResponse,
  expiringQuery,
  historyResponse,
  letterBody,
  letterListResponse,
  letterSchema,
  listQuery,
  revocationBody,
} from './schemas.js';

/** The letters routes (docs/housing.md, "Routes"): grid keys record letters in their grids. */
export const letterRoutes = {
  create: declareRoute({
    method: 'POST',
    path: '/v1/letters',
    access: fieldWorkers,
    // the house (GetItem), the transaction; the tenant's settings (GetItem) only for a kind
    // that is not built in while the key's settings do not carry `extraLetterKinds`
    budget: 2,
    summary: 'Record a signed letter (security responsibility, guarantee, …) for a house',
    body: letterBody,
    response: letterSchema,
    status: 201,
  }),
  batch: declareRoute({
    method: 'POST',
    path: '/v1/letters/batch',
    access: fieldWorkers,
    // the houses (one BatchGet), the settings (at most once), one transaction per item
    budget: 2,
    summary: 'Record up to 100 letters (per-item results)',
    body: batchBody,
    response: batchResponse,
  }),
  list: declareRoute({
    method: 'GET',
    path: '/v1/letters',
    access: anyRole,
    // (houseId: the house) + one index Query + one BatchGet
    budget: 3,
    summary: 'List letters (houseId, kind, status, expiringBefore)',
    query: listQuery,
    response: letterListResponse,
  }),
  expiring: declareRoute({
    method: 'GET',
    path: '/v1/letters/expiring',
    access: anyRole,
    // one Query per lapsing shard (4) + one BatchGet; docs/housing.md says 3 (see the report)
    budget: 5,
    summary: 'Worklist: letters flagged as expiring in the key’s scope, soonest validUntil first',
    query: expiringQuery,
    response: letterListResponse,
  }),
  get: declareRoute({
    method: 'GET',
    path: '/v1/letters/{letterId}',
    access: anyRole,
    budget: 1,
    summary: 'One letter',
    response: letterSchema,
  }),
  revoke: declareRoute({
    method: 'POST',
    path: '/v1/letters/{letterId}/revocation',
    access: registryWriters,
    budget: 2,
    summary: 'Revoke a valid letter (If-Match)',
    body: revocationBody,
    response: letterSchema,
  }),
  history: declareRoute({
    method: 'GET',
    path: '/v1/letters/{letterId}/history',
    access: fieldWorkers,
    budget: 2,
    summary: 'A letter’s history',
    response: historyResponse,
  }),
};
