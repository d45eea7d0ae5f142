import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, api, idempotencyKeys } from '../../core/api';
import { type Translate, useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { Link, navigate } from '../../core/router';
import { Button, FormAlert, fieldError, RadioGroup, SelectField, TextField } from '../../ui/form';
import { gridLabel, useGrids } from '../grids/use-grids';
import { LandlordPicker } from './landlord-picker';
import { type HousingKey, housingMessages } from './messages';
import { HousingPage, parseNumber, setFlash } from './shared';
import { addressParts, type House, houseTypes, houseUses, lettingModes, managementClasses } from './types';

/** Every input of the house form, flat; nested body fields are named by their API path. */
export const houseFields = [
  'address.estate',
  'address.building',
  'address.unit',
  'address.floor',
  'address.room',
  'address.door',
  'plaque',
  'standardAddressCode',
  'houseType',
  'use',
  'lettingMode',
  'managementClass',
  'area',
  'roomsLet',
  'monthlyRent',
  'maxOccupants',
  'landlordId',
  'caretaker.name',
  'caretaker.phone',
  'securityResponsible.name',
  'securityResponsible.phone',
  'location.latitude',
  'location.longitude',
] as const;
export type HouseField = (typeof houseFields)[number];
export type HouseValues = Record<HouseField, string>;

const numeric: Partial<Record<HouseField, { integer?: boolean }>> = {
  area: {},
  roomsLet: { integer: true },
  monthlyRent: {},
  maxOccupants: { integer: true },
  'location.latitude': {},
  'location.longitude': {},
};
const groups = ['address', 'caretaker', 'securityResponsible', 'location'] as const;
type Group = (typeof groups)[number];
const groupOf = (f: HouseField): Group | undefined => {
  const g = f.split('.')[0] as Group;
  return f.includes('.') ? g : undefined;
};

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function houseValues(h: House | undefined): HouseValues {
  return {
    'address.estate': str(h?.address?.estate),
    'address.building': str(h?.address?.building),
    'address.unit': str(h?.address?.unit),
    'address.floor': str(h?.address?.floor),
    'address.room': str(h?.address?.room),
    'address.door': str(h?.address?.door),
    plaque: str(h?.plaque),
    standardAddressCode: str(h?.standardAddressCode),
    houseType: str(h?.houseType),
    use: str(h?.use),
    lettingMode: str(h?.lettingMode),
    managementClass: str(h?.managementClass),
    area: str(h?.area),
    roomsLet: str(h?.roomsLet),
    monthlyRent: str(h?.monthlyRent),
    maxOccupants: str(h?.maxOccupants),
    landlordId: str(h?.landlordId),
    'caretaker.name': str(h?.caretaker?.name),
    'caretaker.phone': str(h?.caretaker?.phone),
    'securityResponsible.name': str(h?.securityResponsible?.name),
    'securityResponsible.phone': str(h?.securityResponsible?.phone),
    'location.latitude': str(h?.location?.latitude),
    'location.longitude': str(h?.location?.longitude),
  };
}

/** The console's own checks: required fields, numbers, a contact's phone without a name. */
export function checkHouse(
  v: HouseValues,
  t: Translate<HousingKey>,
  required: string,
  options: { landlordRequired: boolean },
): Partial<Record<string, string>> {
  const errors: Partial<Record<string, string>> = {};
  const need: HouseField[] = [
    'address.estate',
    'plaque',
    'houseType',
    'use',
    'lettingMode',
    'managementClass',
  ];
  if (options.landlordRequired) need.push('landlordId');
  for (const f of need) if (!v[f].trim()) errors[f] = required;
  for (const [f, opts] of Object.entries(numeric) as [HouseField, { integer?: boolean }][]) {
    const parsed = parseNumber(v[f], t, opts);
    if (parsed.error) errors[f] = parsed.error;
  }
  for (const c of ['caretaker', 'securityResponsible'] as const)
    if (v[`${c}.phone`].trim() && !v[`${c}.name`].trim()) errors[`${c}.name`] = required;
  if (!!v['location.latitude'].trim() !== !!v['location.longitude'].trim()) {
    const missing = v['location.latitude'].trim() ? 'location.longitude' : 'location.latitude';
    errors[missing] = required;
  }
  return errors;
}

function scalar(f: HouseField, raw: string): string | number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (numeric[f]) return Number(s.replace(',', '.'));
  return s;
}

function groupValue(g: Group, v: HouseValues): Record<string, string | number> | undefined {
  const out: Record<string, string | number> = {};
  for (const f of houseFields) {
    if (groupOf(f) !== g) continue;
    const value = scalar(f, v[f]);
    if (value !== undefined) out[f.slice(g.length + 1)] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The POST /v1/houses body: empty optional fields left out. */
export function houseBody(v: HouseValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of houseFields) {
    if (groupOf(f)) continue;
    const value = scalar(f, v[f]);
    if (value !== undefined) body[f] = value;
  }
  for (const g of groups) {
    const value = groupValue(g, v);
    if (value) body[g] = value;
  }
  return body;
}

/**
 * The PATCH body: only what changed from `base` (the record the form was opened on). A nested
 * object is sent whole when any of its parts changed; a cleared optional field is sent as null.
 */
export function housePatch(base: HouseValues, v: HouseValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of houseFields) {
    if (v[f].trim() === base[f].trim()) continue;
    const g = groupOf(f);
    if (g) body[g] = groupValue(g, v) ?? null;
    else body[f] = scalar(f, v[f]) ?? null;
  }
  return body;
}

/** The house's inputs (shared by the register page and the edit form). */
export function HouseFields({
  values,
  set,
  err,
  idPrefix = '',
  landlordRequired,
  before,
}: {
  values: HouseValues;
  set: (f: HouseField) => (v: string) => void;
  err: (f: string) => ComponentChildren | undefined;
  idPrefix?: string;
  landlordRequired: boolean;
  before?: ComponentChildren;
}) {
  const t = useT(housingMessages);
  const id = (f: string) => `${idPrefix}${f.replace('.', '-')}`;
  const text = (
    f: HouseField,
    label: string,
    extra: { required?: boolean; hint?: string; decimal?: boolean } = {},
  ) => (
    <TextField
      id={id(f)}
      label={label}
      value={values[f]}
      onValue={set(f)}
      error={err(f)}
      required={extra.required}
      hint={extra.hint}
      inputMode={numeric[f] ? (numeric[f].integer ? 'numeric' : 'decimal') : undefined}
      autoComplete="off"
    />
  );
  return (
    <>
      <fieldset class="form-group">
        <legend>{t('addressLegend')}</legend>
        {before}
        {addressParts.map((p) => text(`address.${p}`, t(`addr.${p}`), { required: p === 'estate' }))}
        {text('standardAddressCode', t('standardAddressCode'))}
        <div class="field-pair">
          {text('location.latitude', t('latitude'))}
          {text('location.longitude', t('longitude'))}
        </div>
      </fieldset>
      <fieldset class="form-group">
        <legend>{t('detailsLegend')}</legend>
        {text('plaque', t('plaque'), { required: true, hint: t('plaqueHint') })}
        <LandlordPicker
          id={id('landlordId')}
          value={values.landlordId}
          onValue={set('landlordId')}
          placeholder={t('landlordChoose')}
          error={err('landlordId')}
          required={landlordRequired}
          offerNew
        />
        <SelectField
          id={id('houseType')}
          label={t('houseType')}
          value={values.houseType}
          onValue={set('houseType')}
          placeholder={t('choose')}
          options={houseTypes.map((v) => ({ value: v, label: t(`type.${v}`) }))}
          error={err('houseType')}
          required
        />
        <SelectField
          id={id('use')}
          label={t('use')}
          value={values.use}
          onValue={set('use')}
          placeholder={t('choose')}
          options={houseUses.map((v) => ({ value: v, label: t(`use.${v}`) }))}
          error={err('use')}
          required
        />
        <SelectField
          id={id('lettingMode')}
          label={t('lettingMode')}
          value={values.lettingMode}
          onValue={set('lettingMode')}
          placeholder={t('choose')}
          options={lettingModes.map((v) => ({ value: v, label: t(`letting.${v}`) }))}
          error={err('lettingMode')}
          required
        />
        <SelectField
          id={id('managementClass')}
          label={t('managementClass')}
          value={values.managementClass}
          onValue={set('managementClass')}
          placeholder={t('choose')}
          options={managementClasses.map((v) => ({ value: v, label: t(`class.${v}`) }))}
          error={err('managementClass')}
          hint={t('managementClassHint')}
          required
        />
        {text('area', t('area'))}
        {text('roomsLet', t('roomsLet'))}
        {text('monthlyRent', t('monthlyRent'))}
        {text('maxOccupants', t('maxOccupants'), { hint: t('maxOccupantsHint') })}
      </fieldset>
      <fieldset class="form-group">
        <legend>{t('contactsLegend')}</legend>
        {(['caretaker', 'securityResponsible'] as const).map((c) => (
          <div class="field-pair" key={c}>
            {text(`${c}.name`, `${t(c)} · ${t('contactName')}`)}
            <TextField
              id={id(`${c}.phone`)}
              type="tel"
              label={`${t(c)} · ${t('contactPhone')}`}
              value={values[`${c}.phone`]}
              onValue={set(`${c}.phone`)}
              error={err(`${c}.phone`)}
              autoComplete="off"
            />
          </div>
        ))}
      </fieldset>
    </>
  );
}

/** POST /v1/houses: a registered house (with its landlord) or a discovered one. */
export function RegisterHousePage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const { grids } = useGrids();
  const [gridId, setGridId] = useState(query.get('gridId') ?? '');
  const [status, setStatus] = useState<'registered' | 'discovered'>('registered');
  const [values, setValues] = useState<HouseValues>(() => ({
    ...houseValues(undefined),
    landlordId: query.get('landlordId') ?? '',
  }));
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [keyFor] = useState(idempotencyKeys);
  const set = (f: HouseField) => (v: string) => {
    setValues((x) => ({ ...x, [f]: v }));
    setOwn((e) => ({ ...e, [f]: undefined }));
  };
  const err = (f: string) => fieldError(f, own, error);
  const duplicateOf =
    error instanceof ApiError && error.status === 409
      ? (error.problem as { houseId?: string }).houseId
      : undefined;
  const shown = [
    'gridId',
    'status',
    ...houseFields,
    'address',
    'caretaker',
    'securityResponsible',
    'location',
  ];
  return (
    <HousingPage title={t('newHouseTitle')}>
      <p>{t('newHouseIntro')}</p>
      <form
        class="form"
        method="post"
        noValidate
        aria-labelledby="page-title"
        data-form="new-house"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(undefined);
          const errors = checkHouse(values, t, tc('required'), { landlordRequired: status === 'registered' });
          if (!gridId) errors.gridId = tc('required');
          setOwn(errors);
          const firstBad = ['gridId', ...houseFields].find((f) => errors[f]);
          if (firstBad) {
            const el =
              document.getElementById(firstBad.replace('.', '-')) ??
              document.querySelector<HTMLInputElement>(`[name="${firstBad}"]`);
            el?.focus();
            return;
          }
          const body = { gridId, status, ...houseBody(values) };
          setBusy(true);
          try {
            const house = await api<House>('POST', '/v1/houses', { idempotencyKey: keyFor(body), body });
            setFlash(t('houseSaved'));
            navigate(`/houses/${house.houseId}`);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        <FormAlert error={error} fields={shown} />
        {duplicateOf ? (
          <p class="alert alert--warning">
            {t('duplicatePlaque')} <Link href={`/houses/${duplicateOf}`}>{t('openExistingHouse')}</Link>
          </p>
        ) : null}
        <SelectField
          id="gridId"
          label={t('grid')}
          value={gridId}
          onValue={(v) => {
            setGridId(v);
            setOwn((e) => ({ ...e, gridId: undefined }));
          }}
          placeholder={t('chooseGrid')}
          options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
          error={err('gridId')}
          hint={t('gridFixedHint')}
          required
        />
        <RadioGroup
          name="status"
          legend={t('createAs')}
          value={status}
          onValue={(v) => setStatus(v as 'registered' | 'discovered')}
          options={(['registered', 'discovered'] as const).map((s) => ({
            value: s,
            label: t(`createAs.${s}`),
          }))}
          error={err('status')}
          required
        />
        <HouseFields values={values} set={set} err={err} landlordRequired={status === 'registered'} />
        <Button type="submit" disabled={busy}>
          {busy ? tc('saving') : t('saveHouse')}
        </Button>
      </form>
    </HousingPage>
  );
}
