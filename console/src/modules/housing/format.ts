import type { Translate } from '../../core/i18n';
import type { HousingKey } from './messages';
import type { House, HouseAddress } from './types';

const templates = {
  building: 'fmt.building',
  unit: 'fmt.unit',
  floor: 'fmt.floor',
  room: 'fmt.room',
  door: 'fmt.door',
} as const;

/** "3" → "3栋" / "Building 3"; something already worded ("东区3号楼") stays as typed. */
export function addressPart(t: Translate<HousingKey>, part: keyof typeof templates, value: string): string {
  return /^[0-9A-Za-z-]{1,8}$/.test(value) ? t(templates[part], { v: value }) : value;
}

const filled = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/** The whole address on one line, in the locale's words. */
export function formatAddress(t: Translate<HousingKey>, address: HouseAddress | undefined | null): string {
  if (!address) return '—';
  const parts: string[] = [];
  if (filled(address.estate)) parts.push(address.estate);
  for (const part of ['building', 'unit', 'floor', 'room', 'door'] as const) {
    const v = address[part];
    if (filled(v)) parts.push(addressPart(t, part, v));
  }
  return parts.length > 0 ? parts.join(t('addressSeparator')) : '—';
}

/** A house in a few words: its address, else its plaque. */
export function houseLabel(t: Translate<HousingKey>, house: House | undefined, fallback: string): string {
  if (!house) return fallback;
  const address = formatAddress(t, house.address);
  return address === '—' ? house.plaque || fallback : address;
}

/** The label of a value in one of the fixed lists, or the value itself (a kind the console does not know). */
export function labelOf(t: Translate<HousingKey>, prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}` as HousingKey;
  const text = t(key);
  return text === undefined ? value : text;
}
