import { useState } from 'preact/hooks';
import { todayIn } from '../../../../shared/platform/dates';
import { ApiError, api, idempotencyKeys } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import { flows, maritalStatuses, type Person } from '../../core/types';
import { Button, FormAlert, fieldError, RadioGroup, SelectField, TextField } from '../../ui/form';
import { Page } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { setFlash } from './flash';
import { HouseSelect } from './house-select';
import { checkIdNumber } from './id-check';
import { IdNumberField } from './id-field';
import { peopleMessages } from './messages';

const fields = [
  'idNumber',
  'name',
  'flow',
  'gridId',
  'houseId',
  'address',
  'arrivedOn',
  'maritalStatus',
  'phone',
  'occupation',
  'employer',
  'originRegion',
  'lastVerifiedOn',
] as const;
type Field = (typeof fields)[number];
const requiredFields: readonly Field[] = [
  'idNumber',
  'name',
  'flow',
  'gridId',
  'address',
  'arrivedOn',
  'maritalStatus',
];

export function RegisterPage() {
  const t = useT(peopleMessages);
  const tc = useT(common);
  const { me } = useSession();
  const { grids } = useGrids();
  const today = todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    idNumber: '',
    name: '',
    flow: 'inflow',
    gridId: '',
    houseId: '',
    address: '',
    arrivedOn: today,
    maritalStatus: '',
    phone: '',
    occupation: '',
    employer: '',
    originRegion: '',
    lastVerifiedOn: '',
  }));
  const [clientErrors, setClientErrors] = useState<Partial<Record<string, string>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [keyFor] = useState(idempotencyKeys);
  const check = checkIdNumber(values.idNumber, today);
  const set = (name: Field) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setClientErrors((e) => ({ ...e, [name]: undefined }));
  };
  const err = (name: Field) => fieldError(name, clientErrors, error);
  const duplicateOf = error instanceof ApiError && error.status === 409 ? error.problem.personId : undefined;

  return (
    <Page title={t('registerTitle')}>
      <p>{t('registerIntro')}</p>
      <form
        class="form"
        method="post"
        noValidate
        aria-labelledby="page-title"
        onSubmit={async (event) => {
          event.preventDefault();
          setSubmitted(true);
          setError(undefined);
          const own: Partial<Record<string, string>> = {};
          for (const f of requiredFields) if (!values[f].trim()) own[f] = tc('required');
          if (check.state !== 'valid') delete own.idNumber;
          for (const f of ['arrivedOn', 'lastVerifiedOn'] as const)
            if (values[f] && values[f] > today) own[f] = t('notInFuture');
          setClientErrors(own);
          const firstBad = check.state !== 'valid' ? 'idNumber' : fields.find((f) => own[f]);
          if (firstBad) {
            document.getElementById(firstBad)?.focus() ??
              document.querySelector<HTMLInputElement>(`[name="${firstBad}"]`)?.focus();
            return;
          }
          const optional = (v: string) => (v.trim() ? v.trim() : undefined);
          setBusy(true);
          try {
            const body = {
              idNumber: check.state === 'valid' ? check.idNumber : values.idNumber,
              name: values.name.trim(),
              flow: values.flow,
              gridId: values.gridId,
              houseId: optional(values.houseId),
              address: values.address.trim(),
              arrivedOn: values.arrivedOn,
              maritalStatus: values.maritalStatus,
              phone: optional(values.phone),
              occupation: optional(values.occupation),
              employer: optional(values.employer),
              originRegion: optional(values.originRegion),
              lastVerifiedOn: optional(values.lastVerifiedOn),
            };
            const person = await api<Person>('POST', '/v1/people', { idempotencyKey: keyFor(body), body });
            setFlash(t('registered'));
            navigate(`/people/${person.personId}`);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        <FormAlert error={error} fields={fields} />
        {duplicateOf ? (
          <p class="alert alert--warning">
            {t('duplicate')} <Link href={`/people/${duplicateOf}`}>{t('openExisting')}</Link>
          </p>
        ) : null}
        <IdNumberField
          value={values.idNumber}
          onValue={set('idNumber')}
          check={check.state === 'empty' && submitted ? { state: 'invalid', reason: 'id.shape' } : check}
          showIncomplete={submitted}
          serverError={err('idNumber')}
        />
        <TextField
          id="name"
          label={t('name')}
          value={values.name}
          onValue={set('name')}
          error={err('name')}
          required
          autoComplete="off"
        />
        <RadioGroup
          name="flow"
          legend={t('flow')}
          value={values.flow}
          onValue={set('flow')}
          options={flows.map((f) => ({ value: f, label: t(`flow.${f}`) }))}
          error={err('flow')}
          required
        />
        <SelectField
          id="gridId"
          label={t('grid')}
          value={values.gridId}
          onValue={set('gridId')}
          placeholder={t('chooseGrid')}
          options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
          error={err('gridId')}
          required
        />
        <HouseSelect
          id="houseId"
          gridId={values.gridId}
          value={values.houseId}
          onValue={set('houseId')}
          error={err('houseId')}
        />
        <TextField
          id="address"
          label={t('address')}
          value={values.address}
          onValue={set('address')}
          error={err('address')}
          required
          autoComplete="off"
        />
        <TextField
          id="arrivedOn"
          type="date"
          label={t('arrivedOn')}
          value={values.arrivedOn}
          onValue={set('arrivedOn')}
          error={err('arrivedOn')}
          max={today}
          required
        />
        <SelectField
          id="maritalStatus"
          label={t('maritalStatus')}
          value={values.maritalStatus}
          onValue={set('maritalStatus')}
          placeholder={t('choose')}
          options={maritalStatuses.map((m) => ({ value: m, label: t(`marital.${m}`) }))}
          error={err('maritalStatus')}
          required
        />
        <TextField
          id="phone"
          type="tel"
          label={t('phone')}
          value={values.phone}
          onValue={set('phone')}
          error={err('phone')}
          autoComplete="off"
        />
        <TextField
          id="occupation"
          label={t('occupation')}
          value={values.occupation}
          onValue={set('occupation')}
          error={err('occupation')}
        />
        <TextField
          id="employer"
          label={t('employer')}
          value={values.employer}
          onValue={set('employer')}
          error={err('employer')}
        />
        <TextField
          id="originRegion"
          label={t('originRegion')}
          value={values.originRegion}
          onValue={set('originRegion')}
          error={err('originRegion')}
        />
        <TextField
          id="lastVerifiedOn"
          type="date"
          label={t('lastVerifiedOn')}
          value={values.lastVerifiedOn}
          onValue={set('lastVerifiedOn')}
          error={err('lastVerifiedOn')}
          max={today}
        />
        <Button type="submit" disabled={busy}>
          {busy ? t('registering') : t('registerButton')}
        </Button>
      </form>
    </Page>
  );
}
