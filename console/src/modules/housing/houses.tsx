import { useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useT } from '../../core/i18n';
import { hrefOf, Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage } from '../../core/types';
import { Button, SelectField } from '../../ui/form';
import { LoadError, Loading, Pager, useAsync, usePager } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { LandlordPicker } from './landlord-picker';
import { housingMessages } from './messages';
import { HousesTable, HousingPage } from './shared';
import { type House, houseStatuses } from './types';

const pageSize = 20;

/** GET /v1/houses by grid, status and landlord, paged. */
export function HousesListPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const { can } = useSession();
  const gridId = query.get('gridId') ?? '';
  const status = query.get('status') ?? '';
  const landlordId = query.get('landlordId') ?? '';
  const pager = usePager(`${gridId}|${status}|${landlordId}`);
  const list = useAsync(
    () =>
      api<ListPage<House>>('GET', '/v1/houses', {
        query: { gridId, status, landlordId, limit: pageSize, cursor: pager.cursor },
      }),
    [gridId, status, landlordId, pager.cursor],
  );
  return (
    <HousingPage
      title={t('housesTitle')}
      actions={
        can('POST /v1/houses') ? (
          <Link class="button button--primary" href="/houses/new">
            {t('registerHouse')}
          </Link>
        ) : null
      }
    >
      <HouseFilters gridId={gridId} status={status} landlordId={landlordId} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noHouses')}</p>
        ) : (
          <HousesTable houses={list.data.items} caption={t('housesTable')} />
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

function HouseFilters(props: { gridId: string; status: string; landlordId: string }) {
  const t = useT(housingMessages);
  const { grids } = useGrids();
  const { can } = useSession();
  const [draft, setDraft] = useState(props);
  return (
    <form
      class="filters"
      aria-label={t('housesTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        navigate(hrefOf('/houses', draft), { replace: true });
      }}
    >
      <SelectField
        id="filter-grid"
        label={t('grid')}
        value={draft.gridId}
        onValue={(v) => setDraft((d) => ({ ...d, gridId: v }))}
        placeholder={t('allGrids')}
        options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
      />
      <SelectField
        id="filter-status"
        label={t('status')}
        value={draft.status}
        onValue={(v) => setDraft((d) => ({ ...d, status: v }))}
        placeholder={t('allStatuses')}
        options={houseStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      {can('GET /v1/landlords') ? (
        <LandlordPicker
          id="filter-landlord"
          value={draft.landlordId}
          onValue={(v) => setDraft((d) => ({ ...d, landlordId: v }))}
          placeholder={t('anyLandlord')}
        />
      ) : null}
      <Button type="submit" kind="secondary">
        {t('applyFilters')}
      </Button>
    </form>
  );
}
