import { useState } from 'preact/hooks';
import { daysBetween, todayIn } from '../../../../shared/platform/dates';
import { api } from '../../core/api';
import { useT } from '../../core/i18n';
import { hrefOf, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage, Person } from '../../core/types';
import { Button, SelectField } from '../../ui/form';
import { LoadError, Loading, Page, Pager, useAsync, usePager } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { peopleMessages } from './messages';
import { PeopleTable } from './people-table';

const pageSize = 20;

/** The verification worklist (GET /v1/people/due): oldest first, paged. */
export function DuePage({ query }: { query: URLSearchParams }) {
  const t = useT(peopleMessages);
  const { me } = useSession();
  const { grids } = useGrids();
  const gridId = query.get('gridId') ?? '';
  const [draft, setDraft] = useState(gridId);
  const pager = usePager(gridId);
  const list = useAsync(
    () =>
      api<ListPage<Person>>('GET', '/v1/people/due', {
        query: { gridId, limit: pageSize, cursor: pager.cursor },
      }),
    [gridId, pager.cursor],
  );
  const cycle = me?.settings.verificationCycleDays ?? 90;
  const today = todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  return (
    <Page title={t('dueTitle')}>
      <p>{t('dueIntro', { days: cycle })}</p>
      <form
        class="filters"
        aria-label={t('dueTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          navigate(hrefOf('/people/due', { gridId: draft }), { replace: true });
        }}
      >
        <SelectField
          id="due-grid"
          label={t('filterGrid')}
          value={draft}
          onValue={setDraft}
          placeholder={t('allGrids')}
          options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
        />
        <Button type="submit" kind="secondary">
          {t('applyFilters')}
        </Button>
      </form>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noneDue')}</p>
        ) : (
          <PeopleTable
            people={list.data.items}
            caption={t('dueTable')}
            overdue={(p) => Math.max(0, daysBetween(p.lastVerifiedOn ?? p.arrivedOn, today) - cycle)}
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
    </Page>
  );
}
