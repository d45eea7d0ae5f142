import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useT } from '../../core/i18n';
import { useSession } from '../../core/session';
import { SelectField } from '../../ui/form';
import { peopleMessages } from './messages';

/** What the picker needs of a house (GET /v1/houses items). */
interface HouseChoice {
  houseId: string;
  plaque: string;
  status: string;
  address: { estate: string; building?: string | null; unit?: string | null; room?: string | null };
}

/** Houses that take registrations (docs/housing.md: discovered and registered ones). */
const open = new Set(['discovered', 'registered']);

const label = (h: HouseChoice) =>
  [h.plaque, h.address.estate, h.address.building, h.address.unit, h.address.room]
    .filter((part) => part !== undefined && part !== null && part !== '')
    .join(' · ');

/**
 * The house a person lives in: the open houses of the chosen grid (a person must live in a house
 * of their own grid), optional. Shown only to keys that may list houses; empty until a grid is
 * chosen. The API checks again inside the registration's own transaction.
 */
export function HouseSelect(props: {
  id: string;
  gridId: string;
  value: string;
  onValue: (houseId: string) => void;
  error?: ComponentChildren | undefined;
}) {
  const t = useT(peopleMessages);
  const session = useSession();
  const mayList = session.can('GET /v1/houses');
  const [houses, setHouses] = useState<HouseChoice[]>();
  const { gridId, value, onValue } = props;
  // The grid the form opened with: its house stays as it is even if it is no longer open (or not
  // on the first page); only after the user picks another grid is a house of the old one cleared.
  const [initialGrid] = useState(gridId);
  useEffect(() => {
    setHouses(undefined);
    if (!mayList || !gridId) return;
    let live = true;
    // One page of the grid's houses: enough for a picker; more are reached from the house pages.
    api<{ items: HouseChoice[] }>('GET', `/v1/houses?gridId=${encodeURIComponent(gridId)}&limit=100`)
      .then((page) => {
        if (live) setHouses(page.items.filter((h) => open.has(h.status)));
      })
      .catch(() => {
        if (live) setHouses([]);
      });
    return () => {
      live = false;
    };
  }, [gridId, mayList]);
  useEffect(() => {
    // A house of another grid cannot stay chosen when the grid changes.
    if (value && houses && gridId !== initialGrid && !houses.some((h) => h.houseId === value)) onValue('');
  }, [houses, value, onValue, gridId, initialGrid]);
  if (!mayList) return null;
  return (
    <SelectField
      id={props.id}
      label={t('house')}
      value={value}
      onValue={onValue}
      placeholder={gridId ? t('noHouse') : t('houseNeedsGrid')}
      options={[
        ...(value && houses && !houses.some((h) => h.houseId === value) ? [{ value, label: value }] : []),
        ...(houses ?? []).map((h) => ({ value: h.houseId, label: label(h) })),
      ]}
      disabled={!gridId}
      error={props.error}
      hint={t('houseHint')}
    />
  );
}
