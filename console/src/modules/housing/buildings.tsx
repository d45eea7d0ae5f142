import { useMemo, useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { hrefOf, Link, navigate } from '../../core/router';
import type { Page as ListPage } from '../../core/types';
import { Button, SelectField } from '../../ui/form';
import { LoadError, Loading, useAsync } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { addressPart, labelOf } from './format';
import { housingMessages } from './messages';
import { HousingPage } from './shared';
import type { House } from './types';

/** At most this many houses of one grid are drawn (100 per request). */
const maxHouses = 2_000;

async function allHousesOf(gridId: string): Promise<{ houses: House[]; truncated: boolean }> {
  const houses: House[] = [];
  let cursor: string | null | undefined;
  do {
    const page: ListPage<House> = await api<ListPage<House>>('GET', '/v1/houses', {
      query: { gridId, limit: 100, cursor },
    });
    houses.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && houses.length < maxHouses);
  return { houses, truncated: !!cursor };
}

const collator = new Intl.Collator('zh-CN', { numeric: true });
const byName = (a: string, b: string) => collator.compare(a, b);
const blank = '\u0000';
const keyOf = (v: string | null | undefined) => v?.trim() || blank;

interface Building {
  name: string;
  units: string[];
  floors: string[];
  rooms: Map<string, House[]>;
}

/** estate → building → (floor, unit) → houses, each level in natural order ("2" before "10"). */
function group(houses: House[]): { estate: string; count: number; buildings: Building[] }[] {
  const estates = new Map<string, Map<string, House[]>>();
  for (const h of houses) {
    const estate = keyOf(h.address?.estate);
    const buildings = estates.get(estate) ?? new Map<string, House[]>();
    estates.set(estate, buildings);
    const b = keyOf(h.address?.building);
    buildings.set(b, [...(buildings.get(b) ?? []), h]);
  }
  return [...estates.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([estate, buildings]) => ({
      estate,
      count: [...buildings.values()].reduce((n, l) => n + l.length, 0),
      buildings: [...buildings.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([name, list]) => {
          const rooms = new Map<string, House[]>();
          for (const h of list) {
            const cell = `${keyOf(h.address?.floor)}|${keyOf(h.address?.unit)}`;
            rooms.set(cell, [...(rooms.get(cell) ?? []), h]);
          }
          for (const l of rooms.values())
            l.sort((a, b) => byName(a.address?.room ?? a.plaque, b.address?.room ?? b.plaque));
          const units = [...new Set(list.map((h) => keyOf(h.address?.unit)))].sort(byName);
          // Top floor first, as a building is drawn.
          const floors = [...new Set(list.map((h) => keyOf(h.address?.floor)))].sort((a, b) => byName(b, a));
          return { name, units, floors, rooms };
        }),
    }));
}

/** A grid's houses drawn as buildings: a table per building, floors as rows, units as columns. */
export function BuildingsPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const { grids, error: gridsError } = useGrids();
  const gridId = query.get('gridId') || grids?.[0]?.gridId || '';
  const [draft, setDraft] = useState(gridId);
  const data = useAsync(() => (gridId ? allHousesOf(gridId) : Promise.resolve(undefined)), [gridId]);
  const estates = useMemo(() => (data.data ? group(data.data.houses) : []), [data.data]);
  return (
    <HousingPage title={t('buildingsTitle')}>
      <p>{t('buildingsIntro')}</p>
      <form
        class="filters"
        aria-label={t('buildingsTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          navigate(hrefOf('/houses/buildings', { gridId: draft }), { replace: true });
        }}
      >
        <SelectField
          id="buildings-grid"
          label={t('grid')}
          value={draft || gridId}
          onValue={setDraft}
          options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
        />
        <Button type="submit" kind="secondary">
          {t('applyFilters')}
        </Button>
      </form>
      {gridsError ? <LoadError error={gridsError} /> : null}
      {data.error ? <LoadError error={data.error} retry={data.reload} /> : null}
      {(!grids && !gridsError) || (data.loading && !data.data) ? <Loading /> : null}
      {data.data && data.data.houses.length === 0 ? <p>{t('buildingsNone')}</p> : null}
      {data.data?.truncated ? (
        <p class="alert alert--info">{t('buildingsTruncated', { n: data.data.houses.length })}</p>
      ) : null}
      {estates.map((e, i) => (
        <section class="estate" key={e.estate} aria-labelledby={`estate-${i}`} data-estate={e.estate}>
          <h2 id={`estate-${i}`}>
            {e.estate === blank ? '—' : e.estate}{' '}
            <span class="estate-count">{t('estateCount', { n: e.count })}</span>
          </h2>
          <div class="buildings">
            {e.buildings.map((b) => (
              <BuildingTable key={b.name} building={b} />
            ))}
          </div>
        </section>
      ))}
    </HousingPage>
  );
}

function BuildingTable({ building }: { building: Building }) {
  const t = useT(housingMessages);
  const name = building.name === blank ? t('noBuilding') : addressPart(t, 'building', building.name);
  const unitName = (u: string) => (u === blank ? t('noUnit') : addressPart(t, 'unit', u));
  const floorName = (f: string) => (f === blank ? t('noFloor') : addressPart(t, 'floor', f));
  return (
    <div class="building card" data-building={building.name}>
      <div class="table-wrap">
        <table class="building-grid">
          <caption>
            <span class="building-name">{name}</span>
            <span class="visually-hidden"> — {t('buildingCaption', { building: name })}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('col.floor')}</th>
              {building.units.map((u) => (
                <th scope="col" key={u}>
                  {unitName(u)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {building.floors.map((f) => (
              <tr key={f}>
                <th scope="row">{floorName(f)}</th>
                {building.units.map((u) => (
                  <td key={u}>
                    <ul class="rooms">
                      {(building.rooms.get(`${f}|${u}`) ?? []).map((h) => (
                        <li key={h.houseId}>
                          <Room house={h} />
                        </li>
                      ))}
                    </ul>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Room({ house: h }: { house: House }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const room = h.address?.room || h.address?.door || h.plaque;
  return (
    <Link
      class={`room room--${h.status}${h.overOccupied ? ' room--over' : ''}`}
      href={`/houses/${h.houseId}`}
    >
      <span class="room-no">{room}</span>
      <span class="room-meta">
        {labelOf(t, 'status', h.status)} · {t('roomPeople', { n: f.number(h.occupants ?? 0) })}
        {h.overOccupied ? ' ⚠' : ''}
      </span>
    </Link>
  );
}
