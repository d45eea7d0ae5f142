export {
  DuplicateLandlordError,
  DuplicatePlaqueError,
  HouseOccupiedError,
  StaleHouseError,
  StaleLandlordError,
  UnknownGridError,
  UnknownLandlordError,
} from './repository/errors.js';
export { type HistoryEntry, type HousePage, houseRepository } from './repository/houses.js';
export { houseEventItem, houseFromItem, houseItem } from './repository/items.js';
export { landlordRepository } from './repository/landlords.js';
