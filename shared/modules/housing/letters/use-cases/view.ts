import type { Principal } from '../../../../platform/access/principal.js';
import { assertInScope } from '../../../../platform/access/scope.js';
import { NotFound } from '../../../../platform/errors.js';
import { idPattern } from '../../../../platform/ids.js';
import { letterRepository } from '../repository/index.js';
import { type Letter, letterFields } from '../rules/letter.js';
import type { LetterView } from '../schemas.js';

/** The letter, if it exists in this tenant (else 404) and the key's grids cover its house's grid (else 403). */
export async function letterInScope(principal: Principal, letterId: string | undefined): Promise<Letter> {
  if (!letterId || !idPattern.test(letterId) || !letterId.startsWith('lt_')) throw new NotFound('letter');
  const letter = await letterRepository(principal).get(letterId);
  if (!letter) throw new NotFound('letter');
  assertInScope(principal, letter.gridId, 'see letters of that grid');
  return letter;
}

/** A letter as the API shows it: the contract's fields, nothing internal (keys, index attributes). */
export function letterView(l: Letter): LetterView {
  return Object.fromEntries(letterFields.map((f) => [f, l[f]])) as unknown as LetterView;
}
