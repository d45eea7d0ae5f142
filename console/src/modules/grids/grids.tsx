import { useMemo, useState } from 'preact/hooks';
import { api, idempotencyKeys } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { hrefOf, Link } from '../../core/router';
import { useSession } from '../../core/session';
import type { Grid } from '../../core/types';
import { Button, FormAlert, fieldError, TextField } from '../../ui/form';
import { LoadError, Loading, Page } from '../../ui/page';
import { gridMessages } from './messages';
import { invalidateGrids, useGrids } from './use-grids';

export function GridsPage() {
  const t = useT(gridMessages);
  const { can } = useSession();
  const { grids, error } = useGrids();
  const communities = useMemo(() => {
    const groups = new Map<string, Grid[]>();
    for (const g of grids ?? []) groups.set(g.community, [...(groups.get(g.community) ?? []), g]);
    return [...groups.entries()];
  }, [grids]);
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      {can('POST /v1/grids') ? <CreateGrid /> : null}
      {error ? <LoadError error={error} /> : null}
      {!grids && !error ? <Loading /> : null}
      {grids && grids.length === 0 ? <p>{t('none')}</p> : null}
      {communities.map(([community, list]) => (
        <div class="table-wrap" key={community}>
          <table class="data-table" data-community={community}>
            <caption>{t('communityCaption', { name: community })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colId')}</th>
                {can('GET /v1/people') ? <th scope="col">{t('colPeople')}</th> : null}
                {can('GET /v1/people/due') ? <th scope="col">{t('colDue')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((g) => (
                <tr key={g.gridId} data-grid={g.gridId}>
                  <th scope="row">{g.name}</th>
                  <td class="mono">{g.gridId}</td>
                  {can('GET /v1/people') ? (
                    <td>
                      <Link
                        href={hrefOf('/people', { gridId: g.gridId })}
                        aria-label={`${t('people')}: ${g.name}`}
                      >
                        {t('people')}
                      </Link>
                    </td>
                  ) : null}
                  {can('GET /v1/people/due') ? (
                    <td>
                      <Link
                        href={hrefOf('/people/due', { gridId: g.gridId })}
                        aria-label={`${t('due')}: ${g.name}`}
                      >
                        {t('due')}
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </Page>
  );
}

function CreateGrid() {
  const t = useT(gridMessages);
  const tc = useT(common);
  const [values, setValues] = useState({ name: '', community: '' });
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string>();
  const [keyFor] = useState(idempotencyKeys);
  return (
    <section class="card" aria-labelledby="create-grid-title">
      <h2 id="create-grid-title">{t('createTitle')}</h2>
      <form
        class="form inline-form"
        method="post"
        noValidate
        aria-labelledby="create-grid-title"
        onSubmit={async (e) => {
          e.preventDefault();
          const errors: Partial<Record<string, string>> = {};
          if (!values.name.trim()) errors.name = tc('required');
          if (!values.community.trim()) errors.community = tc('required');
          setOwn(errors);
          setError(undefined);
          setCreated(undefined);
          if (Object.keys(errors).length > 0) return;
          setBusy(true);
          try {
            const body = { name: values.name.trim(), community: values.community.trim() };
            const grid = await api<Grid>('POST', '/v1/grids', { body, idempotencyKey: keyFor(body) });
            setCreated(grid.name);
            setValues((v) => ({ name: '', community: v.community }));
            invalidateGrids();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormAlert error={error} fields={['name', 'community']} />
        <TextField
          id="name"
          label={t('name')}
          value={values.name}
          onValue={(v) => setValues((x) => ({ ...x, name: v }))}
          error={fieldError('name', own, error)}
          required
        />
        <TextField
          id="community"
          label={t('community')}
          value={values.community}
          onValue={(v) => setValues((x) => ({ ...x, community: v }))}
          error={fieldError('community', own, error)}
          required
        />
        <Button type="submit" disabled={busy}>
          {busy ? t('creating') : t('create')}
        </Button>
      </form>
      <p role="status" class="form-status">
        {created ? t('created', { name: created }) : ''}
      </p>
    </section>
  );
}
