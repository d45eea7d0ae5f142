import { toProblem } from '../../../platform/http/problem.js';
import { etag, ifMatch } from '../../../platform/http/request.js';
import { implement } from '../../../platform/http/route.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import { letterProblem } from './errors.js';
import { letterRepository } from './repository/index.js';
import { letterRoutes as routes } from './routes.js';
import { signBatch } from './use-cases/batch.js';
import { listExpiring, listLetters } from './use-cases/listing.js';
import { revokeLetter } from './use-cases/revoke.js';
import { signLetter } from './use-cases/sign.js';
import { letterInScope, letterView } from './use-cases/view.js';

export const letterHandlers = [
  implement(routes.create, async ({ principal, body }) => {
    const letter = await signLetter({ principal, workspace: workspaceOf(principal), body });
    return { body: letterView(letter), headers: etag(letter) };
  }),

  implement(routes.batch, async ({ principal, body }) => {
    const isClientError = (error: unknown) => (toProblem(error, letterProblem)?.status ?? 500) < 500;
    const outcomes = await signBatch({ principal, items: body.items, isClientError });
    const results = outcomes.map((outcome) => {
      if ('letter' in outcome) return { status: 201, letter: letterView(outcome.letter) };
      if ('failed' in outcome) {
        return { status: 503, errors: [{ path: '', message: 'temporarily failed; send this item again' }] };
      }
      const problem = toProblem(outcome.error, letterProblem);
      const detail = problem?.body();
      return {
        status: problem?.status ?? 500,
        errors: detail?.errors ?? [{ path: '', message: detail?.detail ?? detail?.title ?? 'failed' }],
      };
    });
    return { body: { results } };
  }),

  implement(routes.list, async ({ principal, query }) => {
    const page = await listLetters(principal, query);
    return { body: { items: page.letters.map(letterView), nextCursor: page.nextCursor } };
  }),

  implement(routes.expiring, async ({ principal, query }) => {
    const page = await listExpiring(principal, query);
    return { body: { items: page.letters.map(letterView), nextCursor: page.nextCursor } };
  }),

  implement(routes.get, async ({ principal, params }) => {
    const letter = await letterInScope(principal, params.letterId);
    return { body: letterView(letter), headers: etag(letter) };
  }),

  implement(routes.revoke, async ({ principal, params, body, headers }) => {
    const letter = await revokeLetter({
      principal,
      letterId: params.letterId,
      expectedVersion: ifMatch(headers),
      reason: body.reason,
    });
    return { body: letterView(letter), headers: etag(letter) };
  }),

  implement(routes.history, async ({ principal, params }) => {
    const letter = await letterInScope(principal, params.letterId);
    return { body: { items: await letterRepository(principal).history(letter.letterId) } };
  }),
];
