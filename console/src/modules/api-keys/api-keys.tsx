import { useState } from 'preact/hooks';
import { api, idempotencyKeys } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { useSession } from '../../core/session';
import { type ApiKey, type IssuedKey, type Role, roles } from '../../core/types';
import { Button, FormAlert, fieldError, SelectField, TextField } from '../../ui/form';
import { KeyReveal, LoadError, Loading, Page, useAsync } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { keyMessages } from './messages';

export function ApiKeysPage() {
  const t = useT(keyMessages);
  const keys = useAsync(() => api<{ items: ApiKey[] }>('GET', '/v1/api-keys'), []);
  const [revealed, setRevealed] = useState<string>();
  const [notice, setNotice] = useState<string>();
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      {revealed ? (
        <KeyReveal apiKey={revealed} onDone={() => setRevealed(undefined)} />
      ) : (
        <IssueKey
          onIssued={(issued) => {
            setRevealed(issued.apiKey);
            setNotice(t('issued', { name: issued.name }));
            keys.reload();
          }}
        />
      )}
      <p role="status" class="form-status">
        {notice ?? ''}
      </p>
      {keys.error ? <LoadError error={keys.error} retry={keys.reload} /> : null}
      {keys.data ? (
        <KeyTable
          keys={keys.data.items}
          onChanged={(message, issued) => {
            setNotice(message);
            if (issued) setRevealed(issued);
            keys.reload();
          }}
        />
      ) : keys.loading ? (
        <Loading />
      ) : null}
    </Page>
  );
}

function IssueKey({ onIssued }: { onIssued: (key: IssuedKey) => void }) {
  const t = useT(keyMessages);
  const tc = useT(common);
  const { grids } = useGrids();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('grid');
  const [gridIds, setGridIds] = useState<string[]>([]);
  const [expiresOn, setExpiresOn] = useState('');
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [keyFor] = useState(idempotencyKeys);
  const gridError =
    fieldError('gridIds', own, error) ??
    gridIds.map((_, i) => fieldError(`gridIds.${i}`, {}, error)).find(Boolean);
  return (
    <section class="card" aria-labelledby="issue-title">
      <h2 id="issue-title">{t('issueTitle')}</h2>
      <form
        class="form"
        method="post"
        noValidate
        aria-labelledby="issue-title"
        onSubmit={async (e) => {
          e.preventDefault();
          const errors: Partial<Record<string, string>> = {};
          if (!name.trim()) errors.name = tc('required');
          if (role === 'grid' && gridIds.length === 0) errors.gridIds = t('pickGrid');
          setOwn(errors);
          setError(undefined);
          if (Object.keys(errors).length > 0) return;
          const body = {
            name: name.trim(),
            role,
            ...(role !== 'admin' && gridIds.length > 0 ? { gridIds } : {}),
            ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59Z`).toISOString() } : {}),
          };
          setBusy(true);
          try {
            const issued = await api<IssuedKey>('POST', '/v1/api-keys', {
              body,
              idempotencyKey: keyFor(body),
            });
            setName('');
            setGridIds([]);
            setExpiresOn('');
            onIssued(issued);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormAlert
          error={error}
          fields={['name', 'role', 'gridIds', 'expiresAt', ...gridIds.map((_, i) => `gridIds.${i}`)]}
        />
        <TextField
          id="key-name"
          label={t('name')}
          value={name}
          onValue={setName}
          error={fieldError('name', own, error)}
          required
          autoComplete="off"
        />
        <SelectField
          id="key-role"
          label={t('role')}
          value={role}
          onValue={(v) => setRole(v as Role)}
          options={roles.map((r) => ({ value: r, label: tc(`role.${r}`) }))}
          error={fieldError('role', own, error)}
          required
        />
        <fieldset class="field checkbox-group" aria-describedby="key-grids-hint" disabled={role === 'admin'}>
          <legend>
            {t('grids')}
            {role === 'grid' ? <span class="required-mark"> {tc('requiredMark')}</span> : null}
          </legend>
          <p id="key-grids-hint" class="field-hint">
            {role === 'grid'
              ? t('gridsHintGrid')
              : role === 'admin'
                ? t('gridsHintAdmin')
                : t('gridsHintOptional')}
          </p>
          <div class="checkbox-options">
            {(grids ?? []).map((g) => (
              <label key={g.gridId} class="checkbox">
                <input
                  type="checkbox"
                  name="gridIds"
                  value={g.gridId}
                  checked={gridIds.includes(g.gridId)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setGridIds((ids) => (on ? [...ids, g.gridId] : ids.filter((id) => id !== g.gridId)));
                  }}
                />
                {gridLabel(g, g.gridId)}
              </label>
            ))}
          </div>
          {gridError ? (
            <p class="field-error" data-field-error="gridIds">
              {gridError}
            </p>
          ) : null}
        </fieldset>
        <TextField
          id="key-expires"
          type="date"
          label={t('expiresAt')}
          value={expiresOn}
          onValue={setExpiresOn}
          error={fieldError('expiresAt', own, error)}
        />
        <Button type="submit" disabled={busy}>
          {busy ? t('issuing') : t('issue')}
        </Button>
      </form>
    </section>
  );
}

function KeyTable({
  keys,
  onChanged,
}: {
  keys: ApiKey[];
  onChanged: (message: string, issuedKey?: string) => void;
}) {
  const t = useT(keyMessages);
  const tc = useT(common);
  const f = useFormat();
  const { me } = useSession();
  const { byId } = useGrids();
  const [confirming, setConfirming] = useState<string>();
  const [error, setError] = useState<unknown>();
  if (keys.length === 0) return <p>{t('none')}</p>;
  const now = new Date().toISOString();
  return (
    <>
      <FormAlert error={error} />
      <div class="table-wrap">
        <table class="data-table" data-table="keys">
          <caption>{t('keysTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colRole')}</th>
              <th scope="col">{t('colGrids')}</th>
              <th scope="col">{t('colCreated')}</th>
              <th scope="col">{t('colExpires')}</th>
              <th scope="col">{t('colLastUsed')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const expired = !!k.expiresAt && k.expiresAt <= now;
              const usable = !k.revokedAt && !expired;
              const self = k.keyId === me?.keyId;
              return (
                <tr key={k.keyId} data-key={k.keyId}>
                  <th scope="row">
                    {k.name} {self ? <span class="note">{t('thisKey')}</span> : null}
                  </th>
                  <td>{tc(`role.${k.role}`)}</td>
                  <td>
                    {k.gridIds ? k.gridIds.map((id) => byId.get(id)?.name ?? id).join(', ') : t('allGrids')}
                  </td>
                  <td>{f.dateTime(k.createdAt)}</td>
                  <td>{f.dateTime(k.expiresAt)}</td>
                  <td>{f.date(k.lastUsedOn)}</td>
                  <td>
                    {k.revokedAt
                      ? t('revoked', { date: f.dateTime(k.revokedAt) })
                      : expired
                        ? t('expired')
                        : t('active')}
                  </td>
                  <td class="actions-cell">
                    {usable && !self ? (
                      <>
                        <Button
                          kind="secondary"
                          aria-label={`${t('rotate')}: ${k.name}`}
                          onClick={async () => {
                            setError(undefined);
                            try {
                              const issued = await api<IssuedKey>(
                                'POST',
                                `/v1/api-keys/${k.keyId}/rotation`,
                                {
                                  body: { overlapMinutes: 60 },
                                  idempotencyKey: crypto.randomUUID(),
                                },
                              );
                              onChanged(t('rotatedNotice', { name: k.name }), issued.apiKey);
                            } catch (err) {
                              setError(err);
                            }
                          }}
                        >
                          {t('rotate')}
                        </Button>
                        {confirming === k.keyId ? (
                          <Button
                            kind="danger"
                            onClick={async () => {
                              setError(undefined);
                              try {
                                await api('DELETE', `/v1/api-keys/${k.keyId}`);
                                setConfirming(undefined);
                                onChanged(t('revokedNotice', { name: k.name }));
                              } catch (err) {
                                setError(err);
                              }
                            }}
                          >
                            {t('confirmRevoke', { name: k.name })}
                          </Button>
                        ) : (
                          <Button
                            kind="danger"
                            aria-label={`${t('revoke')}: ${k.name}`}
                            onClick={() => setConfirming(k.keyId)}
                          >
                            {t('revoke')}
                          </Button>
                        )}
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
