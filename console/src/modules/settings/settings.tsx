import { useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { useSession } from '../../core/session';
import type { Tenant } from '../../core/types';
import { Button, FormAlert, fieldError, TextField } from '../../ui/form';
import { LoadError, Loading, Page, useAsync } from '../../ui/page';
import { settingsMessages } from './messages';

export function SettingsPage() {
  const t = useT(settingsMessages);
  const tenant = useAsync(() => api<Tenant>('GET', '/v1/tenant'), []);
  const { can } = useSession();
  return (
    <Page title={t('title')}>
      {tenant.error ? <LoadError error={tenant.error} retry={tenant.reload} /> : null}
      {tenant.data ? (
        can('PATCH /v1/tenant/settings') ? (
          <SettingsForm tenant={tenant.data} onSaved={tenant.setData} />
        ) : (
          <SettingsView tenant={tenant.data} />
        )
      ) : tenant.loading ? (
        <Loading />
      ) : null}
    </Page>
  );
}

function SettingsView({ tenant }: { tenant: Tenant }) {
  const t = useT(settingsMessages);
  const f = useFormat();
  const s = tenant.settings;
  return (
    <section class="card">
      <p class="note">{t('readOnly')}</p>
      <dl class="details">
        <div class="detail">
          <dt>{t('township')}</dt>
          <dd>{tenant.townshipName}</dd>
        </div>
        <div class="detail">
          <dt>{t('staleAfterDays')}</dt>
          <dd>{f.number(s.staleAfterDays)}</dd>
        </div>
        <div class="detail">
          <dt>{t('verificationCycleDays')}</dt>
          <dd>{f.number(s.verificationCycleDays)}</dd>
        </div>
        <div class="detail">
          <dt>{t('timeZone')}</dt>
          <dd>{s.timeZone}</dd>
        </div>
        <div class="detail">
          <dt>{t('maxKeyAgeDays')}</dt>
          <dd>{s.maxKeyAgeDays === null ? t('noLimit') : f.number(s.maxKeyAgeDays)}</dd>
        </div>
      </dl>
    </section>
  );
}

const numberFields = ['staleAfterDays', 'verificationCycleDays', 'maxKeyAgeDays'] as const;

function SettingsForm({ tenant, onSaved }: { tenant: Tenant; onSaved: (t: Tenant) => void }) {
  const t = useT(settingsMessages);
  const session = useSession();
  const s = tenant.settings;
  const [values, setValues] = useState({
    staleAfterDays: String(s.staleAfterDays),
    verificationCycleDays: String(s.verificationCycleDays),
    timeZone: s.timeZone,
    maxKeyAgeDays: s.maxKeyAgeDays === null ? '' : String(s.maxKeyAgeDays),
  });
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (k: keyof typeof values) => (v: string) => {
    setValues((x) => ({ ...x, [k]: v }));
    setSaved(false);
  };
  return (
    <form
      class="form card"
      method="post"
      noValidate
      aria-labelledby="page-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const errors: Partial<Record<string, string>> = {};
        for (const k of numberFields) {
          const v = values[k].trim();
          if (k === 'maxKeyAgeDays' && v === '') continue;
          if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 3650) errors[k] = t('wholeNumber');
        }
        setOwn(errors);
        setError(undefined);
        setSaved(false);
        if (Object.keys(errors).length > 0) return;
        setBusy(true);
        try {
          const updated = await api<Tenant>('PATCH', '/v1/tenant/settings', {
            body: {
              staleAfterDays: Number(values.staleAfterDays),
              verificationCycleDays: Number(values.verificationCycleDays),
              timeZone: values.timeZone.trim(),
              maxKeyAgeDays: values.maxKeyAgeDays.trim() === '' ? null : Number(values.maxKeyAgeDays),
            },
          });
          onSaved(updated);
          setSaved(true);
          await session.refresh();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <p>
        <strong>{t('township')}:</strong> {tenant.townshipName}
      </p>
      <FormAlert error={error} fields={[...numberFields, 'timeZone']} />
      <TextField
        id="staleAfterDays"
        inputMode="numeric"
        label={t('staleAfterDays')}
        hint={t('staleHint')}
        value={values.staleAfterDays}
        onValue={set('staleAfterDays')}
        error={fieldError('staleAfterDays', own, error)}
        required
      />
      <TextField
        id="verificationCycleDays"
        inputMode="numeric"
        label={t('verificationCycleDays')}
        hint={t('cycleHint')}
        value={values.verificationCycleDays}
        onValue={set('verificationCycleDays')}
        error={fieldError('verificationCycleDays', own, error)}
        required
      />
      <TextField
        id="timeZone"
        label={t('timeZone')}
        hint={t('timeZoneHint')}
        value={values.timeZone}
        onValue={set('timeZone')}
        error={fieldError('timeZone', own, error)}
        required
        autoComplete="off"
      />
      <TextField
        id="maxKeyAgeDays"
        inputMode="numeric"
        label={t('maxKeyAgeDays')}
        hint={t('maxKeyHint')}
        value={values.maxKeyAgeDays}
        onValue={set('maxKeyAgeDays')}
        error={fieldError('maxKeyAgeDays', own, error)}
      />
      <Button type="submit" disabled={busy}>
        {t('save')}
      </Button>
      <p role="status" class="form-status">
        {saved ? t('saved') : ''}
      </p>
    </form>
  );
}
