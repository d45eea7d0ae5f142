import { actorOf, type Principal } from '../../../../platform/access/principal.js';
import { assertInScope } from '../../../../platform/access/scope.js';
import { mintId } from '../../../../platform/ids.js';
import type { Workspace } from '../../../tenants/use-cases.js';
import {
  type HouseFacts,
  HouseNotOpenError,
  letterRepository,
  StaleHouseError,
  UnknownHouseError,
} from '../repository/index.js';
import {
  checkSigning,
  clearsLapse,
  type Letter,
  letterIdPrefix,
  openHouseStatuses,
  securityKind,
  sign,
} from '../rules/letter.js';
import type { LetterBody } from '../schemas.js';
import { extraLetterKinds } from './settings.js';

export interface Signing {
  principal: Principal;
  workspace: Workspace;
  body: LetterBody;
  /** The township's extra kinds, when already read (a batch reads them once). */
  extraKinds?: readonly string[];
  /** Houses already read (a batch reads them in one BatchGet); otherwise the house is read. */
  houses?: ReadonlyMap<string, HouseFacts>;
}

/**
 * Record one signed letter. The house is read once (its grid becomes the letter's; the key must
 * cover it: 403), then one transaction writes the letter and its event, checks the house (open,
 * in that grid) and the party (exists) — and, for a security letter on a house whose letter
 * lapsed, clears the mark with a house event. Security letters pin the house's version, so a
 * lapse written by the job meanwhile is seen (the letter is retried on the fresh house and
 * clears it), never left standing next to the new letter.
 */
export async function signLetter({
  principal,
  workspace,
  body,
  extraKinds,
  houses,
}: Signing): Promise<Letter> {
  const kinds = extraKinds ?? (await extraLetterKinds(principal, [body.kind]));
  // Kind and dates first: nothing is read for a letter that cannot be recorded.
  checkSigning(body, workspace.today, kinds);
  const repo = letterRepository(principal);
  let house = houses?.get(body.houseId) ?? (houses ? undefined : await repo.house(body.houseId));
  for (let attempt = 0; ; attempt++) {
    if (!house) throw new UnknownHouseError(body.houseId);
    assertInScope(principal, house.gridId, 'record letters for houses of that grid');
    if (!(openHouseStatuses as readonly string[]).includes(house.status))
      throw new HouseNotOpenError(house.houseId, house.status);
    const transition = sign(
      body,
      { letterId: mintId(letterIdPrefix), gridId: house.gridId, signedBy: principal.keyName },
      workspace.today,
      new Date().toISOString(),
      kinds,
    );
    try {
      return await repo.create({
        transition,
        actor: actorOf(principal),
        house,
        renews: clearsLapse(transition.letter, house, workspace.today),
        pinHouseVersion: body.kind === securityKind,
      });
    } catch (error) {
      if (!(error instanceof StaleHouseError) || attempt >= 3) throw error;
      house = error.current ?? (await repo.house(body.houseId));
    }
  }
}
