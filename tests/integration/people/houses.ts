import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { housingIndexKeys, housingKeys } from '../../../shared/modules/housing/keys.js';
import { mintId } from '../../../shared/platform/ids.js';
import { documentClient, registryTableName } from '../../../shared/platform/table/client.js';
import type { TenantContext } from '../../../shared/platform/table/tenant-context.js';

/**
 * Houses as the people module sees them (docs/housing.md): `entity: 'house'`, `houseId`,
 * `gridId`, `status`, at `housingKeys.house`. The housing module writes them for real; these
 * tests write the few attributes the people side reads, plus the index attributes a house and a
 * letter carry in a grid's partitions (so a list of people can be shown to skip them).
 */
export type HouseStatus = 'discovered' | 'registered' | 'banned' | 'closed';

export async function putHouse(
  t: TenantContext,
  house: { gridId: string; status: HouseStatus; houseId?: string },
): Promise<string> {
  const houseId = house.houseId ?? mintId('h');
  await documentClient().send(
    new PutCommand({
      TableName: registryTableName(),
      Item: {
        ...housingKeys.house(t, houseId),
        entity: 'house',
        tenantId: t.tenantId,
        houseId,
        gridId: house.gridId,
        status: house.status,
        version: 1,
        gridPk: housingIndexKeys.grid(t, house.gridId),
        gridSk: housingIndexKeys.houseGridSk(houseId),
        gridStatusPk: housingIndexKeys.gridHouseStatus(t, house.gridId, house.status),
      },
    }),
  );
  return houseId;
}

/** A letter in its house's grid partition (byGrid), as the housing module will store it. */
export async function putLetter(
  t: TenantContext,
  letter: { gridId: string; houseId: string },
): Promise<string> {
  const letterId = mintId('lt');
  await documentClient().send(
    new PutCommand({
      TableName: registryTableName(),
      Item: {
        ...housingKeys.letter(t, letterId),
        entity: 'letter',
        tenantId: t.tenantId,
        letterId,
        houseId: letter.houseId,
        gridId: letter.gridId,
        status: 'valid',
        gridPk: housingIndexKeys.grid(t, letter.gridId),
        gridSk: housingIndexKeys.letterGridSk(letterId),
      },
    }),
  );
  return letterId;
}
