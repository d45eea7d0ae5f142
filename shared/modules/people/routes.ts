import { anyRole, fieldWorkers, registryWriters } from '../../platform/access/roles.js';
import { declareRoute } from '../../platform/http/route.js';
import {
  batchBody,
  batchResponse,
  departureBody,
  historyResponse,
  listQuery,
  personListResponse,
  personSchema,
  registrationBody,
  updateBody,
  verificationBody,
} from './schemas.js';

/** The people module's routes: the floating population's registrations. */
export const peopleRoutes = {
  register: declareRoute({
    method: 'POST',
    path: '/v1/people',
    access: registryWriters,
    summary: 'Register an arrival',
    body: registrationBody,
    response: personSchema,
    status: 201,
  }),
  list: declareRoute({
    method: 'GET',
    path: '/v1/people',
    access: anyRole,
    summary: 'List people',
    query: listQuery,
    response: personListResponse,
  }),
  batch: declareRoute({
    method: 'POST',
    path: '/v1/people/batch',
    access: registryWriters,
    summary: 'Register up to 100',
    body: batchBody,
    response: batchResponse,
  }),
  get: declareRoute({
    method: 'GET',
    path: '/v1/people/{personId}',
    access: anyRole,
    summary: 'One person',
    response: personSchema,
  }),
  update: declareRoute({
    method: 'PATCH',
    path: '/v1/people/{personId}',
    access: registryWriters,
    summary: 'Update',
    body: updateBody,
    response: personSchema,
  }),
  verify: declareRoute({
    method: 'POST',
    path: '/v1/people/{personId}/verifications',
    access: fieldWorkers,
    summary: 'Record a door-to-door verification',
    body: verificationBody,
    response: personSchema,
  }),
  depart: declareRoute({
    method: 'POST',
    path: '/v1/people/{personId}/departure',
    access: registryWriters,
    summary: 'Write off',
    body: departureBody,
    response: personSchema,
  }),
  history: declareRoute({
    method: 'GET',
    path: '/v1/people/{personId}/history',
    access: registryWriters,
    summary: 'Audit history',
    response: historyResponse,
  }),
};
