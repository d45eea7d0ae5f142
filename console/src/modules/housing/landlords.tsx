import { useState } from 'preact/hooks';
import { parseCreditCode } from '../../../../shared/modules/housing/rules/landlord';
import { todayIn } from '../../../../shared/platform/dates';
import { ApiError, api, idempotencyKeys } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { hrefOf, Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage } from '../../core/types';
import { Button, FormAlert, fieldError, RadioGroup, TextField } from '../../ui/form';
import { LoadError, Loading, Pager, useAsync, usePager } from '../../ui/page';
import { checkIdNumber } from '../people/id-check';
import { IdNumberField } from '../people/id-field';
import { labelOf } from './format';
import { housingMessages } from './messages';
import { DetailList, Flash, HousesTable, HousingPage, setFlash, Timeline, takeFlash } from './shared';
import type { House, HousingEvent, Landlord } from './types';

const pageSize = 20;

/** GET /v1/landlords, optionally by name prefix, paged. Identifiers as the API returns them (masked per role). */
export function LandlordsListPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const { can } = useSession();
  const q = query.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const pager = usePager(q);
  const list = useAsync(
    () =>
      api<ListPage<Landlord>>('GET', '/v1/landlords', {
        query: { q, limit: pageSize, cursor: pager.cursor },
      }),
    [q, pager.cursor],
  );
  return (
    <HousingPage
      title={t('landlordsTitle')}
      actions={
        can('POST /v1/landlords') ? (
          <Link class="button button--primary" href="/landlords/new">
            {t('addLandlord')}
          </Link>
        ) : null
      }
    >
      <form
        class="filters"
        aria-label={t('landlordsTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          navigate(hrefOf('/landlords', { q: draft.trim() }), { replace: true });
        }}
      >
        <TextField
          id="landlord-q"
          label={t('nameStartsWith')}
          value={draft}
          onValue={setDraft}
          autoComplete="off"
        />
        <Button type="submit" kind="secondary">
          {t('search')}
        </Button>
      </form>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noLandlords')}</p>
        ) : (
          <LandlordsTable landlords={list.data.items} />
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

function LandlordsTable({ landlords }: { landlords: Landlord[] }) {
  const t = useT(housingMessages);
  return (
    <div class="table-wrap">
      <table class="data-table" data-table="landlords">
        <caption class="visually-hidden">{t('landlordsTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.landlordName')}</th>
            <th scope="col">{t('col.landlordKind')}</th>
            <th scope="col">{t('col.identifier')}</th>
            <th scope="col">{t('col.phone')}</th>
            <th scope="col">{t('col.address')}</th>
          </tr>
        </thead>
        <tbody>
          {landlords.map((l) => (
            <tr key={l.landlordId} data-landlord={l.landlordId}>
              <th scope="row">
                <Link href={`/landlords/${l.landlordId}`}>{l.name}</Link>
              </th>
              <td>{labelOf(t, 'kind', l.kind)}</td>
              <td class="mono">{(l.kind === 'organisation' ? l.creditCode : l.idNumber) ?? '—'}</td>
              <td class="mono">{l.phone ?? '—'}</td>
              <td>{l.address ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One landlord: details (masked per role by the API), their houses in the key's scope, history. */
export function LandlordPage({ landlordId }: { landlordId: string }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const session = useSession();
  const path = `/v1/landlords/${encodeURIComponent(landlordId)}`;
  const landlord = useAsync(() => api<Landlord>('GET', path), [path]);
  const pager = usePager(landlordId);
  const houses = useAsync(
    () =>
      session.can('GET /v1/landlords/{landlordId}/houses')
        ? api<ListPage<House>>('GET', `${path}/houses`, { query: { limit: pageSize, cursor: pager.cursor } })
        : Promise.resolve(undefined),
    [path, pager.cursor],
  );
  const mayReadHistory = session.can('GET /v1/landlords/{landlordId}/history');
  const history = useAsync(
    () =>
      mayReadHistory ? api<{ items: HousingEvent[] }>('GET', `${path}/history`) : Promise.resolve(undefined),
    [path, mayReadHistory],
  );
  const [notice] = useState(takeFlash);
  if (!landlord.data) {
    return (
      <HousingPage title={t('landlordsTitle')}>
        {landlord.error ? <LoadError error={landlord.error} retry={landlord.reload} /> : <Loading />}
      </HousingPage>
    );
  }
  const l = landlord.data;
  const organisation = l.kind === 'organisation';
  const identifier = (organisation ? l.creditCode : l.idNumber) ?? '';
  const masked = identifier.includes('*') || (l.phone ?? '').includes('*');
  return (
    <HousingPage
      title={l.name}
      actions={
        session.can('POST /v1/houses') ? (
          <Link class="button button--secondary" href={hrefOf('/houses/new', { landlordId: l.landlordId })}>
            {t('registerHouseFor')}
          </Link>
        ) : null
      }
    >
      <Flash message={notice} />
      <section class="card" aria-labelledby="details-title">
        <h2 id="details-title">{t('details')}</h2>
        {masked ? <p class="note">{t('maskedNote')}</p> : null}
        <DetailList
          rows={[
            { field: 'kind', label: t('landlordKind'), value: labelOf(t, 'kind', l.kind) },
            { field: 'name', label: organisation ? t('orgName') : t('name'), value: l.name },
            organisation
              ? { field: 'creditCode', label: t('creditCode'), value: l.creditCode ?? '—', mono: true }
              : { field: 'idNumber', label: t('col.idNumber'), value: l.idNumber ?? '—', mono: true },
            ...(organisation
              ? [
                  {
                    field: 'legalRepresentative',
                    label: t('legalRepresentative'),
                    value: l.legalRepresentative ?? '—',
                  },
                ]
              : []),
            { field: 'phone', label: t('phone'), value: l.phone ?? '—', mono: true },
            { field: 'address', label: t('landlordAddress'), value: l.address ?? '—' },
            ...(organisation
              ? []
              : [{ field: 'workplace', label: t('workplace'), value: l.workplace ?? '—' }]),
            { field: 'createdAt', label: t('createdAt'), value: f.dateTime(l.createdAt) },
            { field: 'updatedAt', label: t('updatedAt'), value: f.dateTime(l.updatedAt) },
            { field: 'version', label: t('version'), value: f.number(l.version) },
          ]}
        />
      </section>
      {session.can('GET /v1/landlords/{landlordId}/houses') ? (
        <section class="card" aria-labelledby="houses-title">
          <h2 id="houses-title">{t('landlordHouses')}</h2>
          {houses.data ? (
            houses.data.items.length === 0 ? (
              <p>{t('noLandlordHouses')}</p>
            ) : (
              <HousesTable houses={houses.data.items} caption={t('landlordHousesTable')} />
            )
          ) : houses.error ? (
            <LoadError error={houses.error} retry={houses.reload} />
          ) : (
            <Loading />
          )}
          <Pager
            page={pager.page}
            nextCursor={houses.data?.nextCursor}
            onNext={pager.next}
            onPrevious={pager.previous}
          />
        </section>
      ) : null}
      {mayReadHistory ? (
        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title">{t('history')}</h2>
          {history.data ? (
            <Timeline items={history.data.items} />
          ) : history.error ? (
            <LoadError error={history.error} retry={history.reload} />
          ) : (
            <Loading />
          )}
        </section>
      ) : null}
    </HousingPage>
  );
}

/**
 * The credit code checked with the API's own rule (shared/modules/housing/rules/landlord.ts,
 * bundled): a wrong character shows at once, a wrong check character once all 18 are typed.
 */
function creditCodeProblem(
  input: string,
  submitted: boolean,
): 'creditCodeShape' | 'creditCodeChecksum' | undefined {
  const code = input.trim().toUpperCase();
  if (code === '') return undefined;
  if (/[^0-9A-HJ-NPQRTUWXY]/.test(code)) return 'creditCodeShape';
  if (code.length < 18 && !submitted) return undefined;
  const parsed = parseCreditCode(code);
  if (parsed.ok) return undefined;
  return /check character/.test(parsed.message) ? 'creditCodeChecksum' : 'creditCodeShape';
}

const landlordFields = [
  'kind',
  'name',
  'idNumber',
  'creditCode',
  'legalRepresentative',
  'phone',
  'address',
  'workplace',
] as const;
type LandlordField = (typeof landlordFields)[number];

/** POST /v1/landlords: an individual (ID number checked as typed, as on the people register page) or an organisation. */
export function NewLandlordPage() {
  const t = useT(housingMessages);
  const tc = useT(common);
  const { me } = useSession();
  const today = todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  const [v, setV] = useState<Record<LandlordField, string>>({
    kind: 'individual',
    name: '',
    idNumber: '',
    creditCode: '',
    legalRepresentative: '',
    phone: '',
    address: '',
    workplace: '',
  });
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [keyFor] = useState(idempotencyKeys);
  const individual = v.kind === 'individual';
  const check = checkIdNumber(v.idNumber, today);
  const set = (name: LandlordField) => (value: string) => {
    setV((x) => ({ ...x, [name]: value }));
    setOwn((e) => ({ ...e, [name]: undefined }));
  };
  const err = (name: LandlordField) => fieldError(name, own, error);
  const codeProblem = creditCodeProblem(v.creditCode, submitted);
  const duplicate =
    error instanceof ApiError && error.status === 409
      ? (error.problem as { landlordId?: string }).landlordId
      : undefined;
  return (
    <HousingPage title={t('newLandlordTitle')}>
      <p>{t('newLandlordIntro')}</p>
      <form
        class="form"
        method="post"
        noValidate
        aria-labelledby="page-title"
        data-form="new-landlord"
        onSubmit={async (event) => {
          event.preventDefault();
          setSubmitted(true);
          setError(undefined);
          const errors: Partial<Record<string, string>> = {};
          const required: LandlordField[] = individual
            ? ['name', 'phone', 'address']
            : ['name', 'creditCode', 'legalRepresentative', 'phone', 'address'];
          for (const f of required) if (!v[f].trim()) errors[f] = tc('required');
          const code = v.creditCode.trim().toUpperCase();
          const codeProblem = creditCodeProblem(code, true);
          if (!individual && codeProblem) errors.creditCode = t(codeProblem);
          setOwn(errors);
          const idBad = individual && check.state !== 'valid';
          const firstBad = idBad ? 'idNumber' : landlordFields.find((f) => errors[f]);
          if (firstBad) {
            document.getElementById(firstBad)?.focus();
            return;
          }
          const optional = (s: string) => (s.trim() ? s.trim() : undefined);
          const body = individual
            ? {
                kind: 'individual',
                name: v.name.trim(),
                idNumber: check.state === 'valid' ? check.idNumber : v.idNumber,
                phone: v.phone.trim(),
                address: v.address.trim(),
                workplace: optional(v.workplace),
              }
            : {
                kind: 'organisation',
                name: v.name.trim(),
                creditCode: code,
                legalRepresentative: v.legalRepresentative.trim(),
                phone: v.phone.trim(),
                address: v.address.trim(),
              };
          setBusy(true);
          try {
            const landlord = await api<Landlord>('POST', '/v1/landlords', {
              idempotencyKey: keyFor(body),
              body,
            });
            setFlash(t('landlordSaved'));
            navigate(`/landlords/${landlord.landlordId}`);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        <FormAlert error={error} fields={landlordFields} />
        {duplicate ? (
          <p class="alert alert--warning">
            {t('duplicateLandlord')} <Link href={`/landlords/${duplicate}`}>{t('openExistingLandlord')}</Link>
          </p>
        ) : null}
        <RadioGroup
          name="kind"
          legend={t('landlordKind')}
          value={v.kind}
          onValue={set('kind')}
          options={(['individual', 'organisation'] as const).map((k) => ({
            value: k,
            label: t(`kind.${k}`),
          }))}
          error={err('kind')}
          required
        />
        <TextField
          id="name"
          label={individual ? t('name') : t('orgName')}
          value={v.name}
          onValue={set('name')}
          error={err('name')}
          required
          autoComplete="off"
        />
        {individual ? (
          <IdNumberField
            value={v.idNumber}
            onValue={set('idNumber')}
            check={check.state === 'empty' && submitted ? { state: 'invalid', reason: 'id.shape' } : check}
            showIncomplete={submitted}
            serverError={err('idNumber')}
          />
        ) : (
          <>
            <TextField
              id="creditCode"
              label={t('creditCode')}
              value={v.creditCode}
              onValue={set('creditCode')}
              error={codeProblem ? t(codeProblem) : err('creditCode')}
              hint={t('creditCodeHint')}
              required
              class="mono"
              maxLength={18}
              spellcheck={false}
              autoComplete="off"
            />
            <TextField
              id="legalRepresentative"
              label={t('legalRepresentative')}
              value={v.legalRepresentative}
              onValue={set('legalRepresentative')}
              error={err('legalRepresentative')}
              required
              autoComplete="off"
            />
          </>
        )}
        <TextField
          id="phone"
          type="tel"
          label={t('phone')}
          value={v.phone}
          onValue={set('phone')}
          error={err('phone')}
          required
          autoComplete="off"
        />
        <TextField
          id="address"
          label={t('landlordAddress')}
          value={v.address}
          onValue={set('address')}
          error={err('address')}
          required
          autoComplete="off"
        />
        {individual ? (
          <TextField
            id="workplace"
            label={t('workplace')}
            value={v.workplace}
            onValue={set('workplace')}
            error={err('workplace')}
          />
        ) : null}
        <Button type="submit" disabled={busy}>
          {busy ? tc('saving') : t('saveLandlord')}
        </Button>
      </form>
    </HousingPage>
  );
}
