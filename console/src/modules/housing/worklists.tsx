import { useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { hrefOf, Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage, Person } from '../../core/types';
import { Button, SelectField } from '../../ui/form';
import { LoadError, Loading, Pager, useAsync, usePager } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { formatAddress, houseLabel } from './format';
import { housingMessages } from './messages';
import { HousesTable, HousingPage, OccupancyText, OccupantsTable, useGridName } from './shared';
import type { House } from './types';

const pageSize = 20;

/** GET /v1/houses/banned-occupied: banned houses where people still live, each opening onto its occupants. */
export function BannedOccupiedPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const gridId = query.get('gridId') ?? '';
  const pager = usePager(gridId);
  const list = useAsync(
    () =>
      api<ListPage<House>>('GET', '/v1/houses/banned-occupied', {
        query: { gridId, limit: pageSize, cursor: pager.cursor },
      }),
    [gridId, pager.cursor],
  );
  return (
    <HousingPage title={t('bannedTitle')}>
      <p>{t('bannedIntro')}</p>
      <GridFilter path="/houses/banned-occupied" gridId={gridId} label={t('bannedTitle')} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noneBanned')}</p>
        ) : (
          <ul class="worklist" aria-label={t('bannedTable')}>
            {list.data.items.map((h) => (
              <BannedHouse key={h.houseId} house={h} />
            ))}
          </ul>
        )
      ) : list.loading ? (
        <Loading />
      ) : null}
      <Pager
        page={pager.page}
        nextCursor={list.data?.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </HousingPage>
  );
}

function BannedHouse({ house: h }: { house: House }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const { can } = useSession();
  const grid = useGridName(h.gridId);
  const [open, setOpen] = useState(false);
  const panel = `occupants-${h.houseId}`;
  return (
    <li class="card worklist-item" data-house={h.houseId}>
      <h2 class="worklist-title">
        <Link href={`/houses/${h.houseId}`}>{houseLabel(t, h, h.houseId)}</Link>
      </h2>
      <p class="worklist-facts">
        <span class="mono">{h.plaque}</span> · {grid} · {t('bannedOn')}:{' '}
        {f.date(h.ban?.bannedOn ?? h.bannedOn)} · {t('occupants')}: <OccupancyText house={h} />
      </p>
      {h.ban ? <p class="note">{h.ban.reason}</p> : null}
      {can('GET /v1/people') ? (
        <>
          <Button
            kind="secondary"
            aria-expanded={open}
            aria-controls={panel}
            data-action="occupants"
            onClick={() => setOpen(!open)}
          >
            {open ? t('hideOccupants') : t('showOccupants')}
          </Button>
          <div id={panel}>{open ? <HouseOccupants house={h} /> : null}</div>
        </>
      ) : null}
    </li>
  );
}

function HouseOccupants({ house: h }: { house: House }) {
  const t = useT(housingMessages);
  const pager = usePager(h.houseId);
  const people = useAsync(
    () =>
      api<ListPage<Person>>('GET', '/v1/people', {
        query: { houseId: h.houseId, limit: 50, cursor: pager.cursor },
      }),
    [h.houseId, pager.cursor],
  );
  if (people.error) return <LoadError error={people.error} retry={people.reload} />;
  if (!people.data) return <Loading />;
  return (
    <>
      {people.data.items.length === 0 ? (
        <p>{t('noOccupants')}</p>
      ) : (
        <OccupantsTable
          people={people.data.items}
          caption={`${t('occupantsTable')}: ${formatAddress(t, h.address)}`}
        />
      )}
      <Pager
        page={pager.page}
        nextCursor={people.data.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </>
  );
}

/** GET /v1/houses/lapsed-letters: registered houses whose security letter lapsed, with a way to sign a new one. */
export function LapsedLettersPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const { can, inScope } = useSession();
  const gridId = query.get('gridId') ?? '';
  const pager = usePager(gridId);
  const list = useAsync(
    () =>
      api<ListPage<House>>('GET', '/v1/houses/lapsed-letters', {
        query: { gridId, limit: pageSize, cursor: pager.cursor },
      }),
    [gridId, pager.cursor],
  );
  const maySign = can('POST /v1/letters');
  return (
    <HousingPage title={t('lapsedTitle')}>
      <p>{t('lapsedIntro')}</p>
      <GridFilter path="/houses/lapsed-letters" gridId={gridId} label={t('lapsedTitle')} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noneLapsed')}</p>
        ) : (
          <HousesTable
            houses={list.data.items}
            caption={t('lapsedTable')}
            extra={[
              { header: t('col.lapsedOn'), cell: (h) => f.date(h.securityLetterLapsedOn) },
              ...(maySign
                ? [
                    {
                      header: t('col.actions'),
                      cell: (h: House) =>
                        inScope(h.gridId) ? (
                          <Link
                            href={`/houses/${h.houseId}#letters`}
                            aria-label={t('signNewLabel', { house: houseLabel(t, h, h.houseId) })}
                          >
                            {t('signNew')}
                          </Link>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        )
      ) : list.loading ? (
        <Loading />
      ) : null}
      <Pager
        page={pager.page}
        nextCursor={list.data?.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </HousingPage>
  );
}

/** A worklist's grid filter (the worklists take `gridId`; without it, every grid in the key's scope). */
export function GridFilter({ path, gridId, label }: { path: string; gridId: string; label: string }) {
  const t = useT(housingMessages);
  const { grids } = useGrids();
  const [draft, setDraft] = useState(gridId);
  return (
    <form
      class="filters"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        navigate(hrefOf(path, { gridId: draft }), { replace: true });
      }}
    >
      <SelectField
        id="filter-grid"
        label={t('grid')}
        value={draft}
        onValue={setDraft}
        placeholder={t('allGrids')}
        options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
      />
      <Button type="submit" kind="secondary">
        {t('applyFilters')}
      </Button>
    </form>
  );
}
