import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import type { Page as ListPage, ReconciliationRun } from '../../core/types';
import { LoadError, Loading, Page, Pager, useAsync, usePager } from '../../ui/page';
import { reconciliationMessages } from './messages';

const columns = [
  'recordsRead',
  'countersChecked',
  'gridsChecked',
  'gridsSkipped',
  'driftFound',
  'driftRepaired',
  'malformedRecords',
] as const;

export function ReconciliationsPage() {
  const t = useT(reconciliationMessages);
  const f = useFormat();
  const pager = usePager('');
  const runs = useAsync(
    () =>
      api<ListPage<ReconciliationRun>>('GET', '/v1/reconciliations', {
        query: { limit: 20, cursor: pager.cursor },
      }),
    [pager.cursor],
  );
  const label = (c: (typeof columns)[number]) => (c === 'malformedRecords' ? t('malformed') : t(c));
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      {runs.error ? <LoadError error={runs.error} retry={runs.reload} /> : null}
      {runs.data ? (
        runs.data.items.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="data-table">
              <caption class="visually-hidden">{t('table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('started')}</th>
                  <th scope="col">{t('finished')}</th>
                  {columns.map((c) => (
                    <th scope="col" class="num" key={c}>
                      {label(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {runs.data.items.map((r) => (
                  <tr key={r.runId} class={r.driftFound > 0 ? 'row--warn' : undefined}>
                    <th scope="row">{f.dateTime(r.startedAt)}</th>
                    <td>{r.finishedAt ? f.dateTime(r.finishedAt) : t('running')}</td>
                    {columns.map((c) => (
                      <td class="num" key={c}>
                        {f.number(r[c])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : runs.loading ? (
        <Loading />
      ) : null}
      <Pager
        page={pager.page}
        nextCursor={runs.data?.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </Page>
  );
}
