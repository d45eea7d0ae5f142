import { createHouse, type House, type HouseInput } from '../../../shared/modules/housing/rules/house.js';

export const TODAY = '2026-03-15';
export const NOW = '2026-03-15T08:00:00.000Z';
export const LATER = '2026-03-15T09:00:00.000Z';

export const houseInput = (over: Partial<HouseInput> = {}): HouseInput => ({
  gridId: 'g_1',
  status: 'registered',
  address: { estate: 'Xinhua Village', building: '3' },
  plaque: 'xh-003  b',
  houseType: 'suite',
  use: 'dwelling',
  lettingMode: 'whole',
  managementClass: 'B',
  landlordId: 'l_1',
  registeredOn: '2026-01-10',
  ...over,
});

export const house = (over: Partial<HouseInput> = {}): House =>
  createHouse(houseInput(over), 'h_1', TODAY, NOW).house;
