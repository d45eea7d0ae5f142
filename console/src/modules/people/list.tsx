import { useState } from 'preact/hooks';
import { todayIn } from '../../../../shared/platform/dates';
import { api } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { hrefOf, Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import { type Page as ListPage, type Person, personStatuses } from '../../core/types';
import { Button, FormAlert, fieldError, SelectField } from '../../ui/form';
import { LoadError, Loading, Page, Pager, useAsync, usePager } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { checkIdNumber } from './id-check';
import { IdNumberField } from './id-field';
import { peopleMessages } from './messages';
import { PeopleTable } from './people-table';

const pageSize = 20;

export function PeopleListPage({ query }: { query: URLSearchParams }) {
  const t = useT(peopleMessages);
  const session = useSession();
  const gridId = query.get('gridId') ?? '';
  const status = query.get('status') ?? '';
  const pager = usePager(`${gridId}|${status}`);
  const list = useAsync(
    () =>
      api<ListPage<Person>>('GET', '/v1/people', {
        query: { gridId, status, limit: pageSize, cursor: pager.cursor },
      }),
    [gridId, status, pager.cursor],
  );
  // The contract lets only admin and office keys look people up by ID number (a rule on a
  // query parameter, which the OpenAPI roles of GET /v1/people cannot express).
  const mayFind = session.me?.role === 'admin' || session.me?.role === 'office';

  return (
    <Page
      title={t('listTitle')}
      actions={
        session.can('POST /v1/people') ? (
          <Link class="button button--primary" href="/people/new">
            {t('registerTitle')}
          </Link>
        ) : null
      }
    >
      {mayFind ? <FindById /> : null}
      <Filters gridId={gridId} status={status} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noPeople')}</p>
        ) : (
          <PeopleTable people={list.data.items} caption={t('peopleTable')} />
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

function Filters({ gridId, status }: { gridId: string; status: string }) {
  const t = useT(peopleMessages);
  const { grids } = useGrids();
  const [draft, setDraft] = useState({ gridId, status });
  return (
    <form
      class="filters"
      aria-label={t('listTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        navigate(hrefOf('/people', draft), { replace: true });
      }}
    >
      <SelectField
        id="filter-grid"
        label={t('filterGrid')}
        value={draft.gridId}
        onValue={(v) => setDraft((d) => ({ ...d, gridId: v }))}
        placeholder={t('allGrids')}
        options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
      />
      <SelectField
        id="filter-status"
        label={t('filterStatus')}
        value={draft.status}
        onValue={(v) => setDraft((d) => ({ ...d, status: v }))}
        placeholder={t('allStatuses')}
        options={personStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <Button type="submit" kind="secondary">
        {t('applyFilters')}
      </Button>
    </form>
  );
}

/** Look-up by ID number: the number stays in the page (never in the URL or history). */
function FindById() {
  const t = useT(peopleMessages);
  const tc = useT(common);
  const { me } = useSession();
  const [value, setValue] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<Person[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const today = todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  const check = checkIdNumber(value, today);
  return (
    <section class="card" aria-labelledby="find-title">
      <h2 id="find-title">{t('findTitle')}</h2>
      <form
        class="inline-form"
        aria-labelledby="find-title"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setSubmitted(true);
          setResult(undefined);
          setError(undefined);
          if (check.state !== 'valid') {
            document.getElementById('findIdNumber')?.focus();
            return;
          }
          setBusy(true);
          try {
            const page = await api<ListPage<Person>>('GET', '/v1/people', {
              query: { idNumber: check.idNumber },
            });
            setResult(page.items);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <IdNumberField
          id="findIdNumber"
          value={value}
          onValue={(v) => {
            setValue(v);
            setResult(undefined);
          }}
          check={check.state === 'empty' && submitted ? { state: 'invalid', reason: 'id.shape' } : check}
          showIncomplete={submitted}
          serverError={fieldError('idNumber', {}, error)}
        />
        <Button type="submit" kind="secondary" disabled={busy}>
          {busy ? tc('loading') : t('findButton')}
        </Button>
      </form>
      <FormAlert error={error} fields={['idNumber']} />
      {result ? (
        result.length === 0 ? (
          <p role="status">{t('findNone')}</p>
        ) : (
          <PeopleTable people={result} caption={t('findResults')} />
        )
      ) : null}
    </section>
  );
}
