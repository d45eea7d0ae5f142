import { useState } from 'preact/hooks';
import { api, idempotencyKeys } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import { Button, FormAlert, fieldError, TextField } from '../../ui/form';
import { KeyReveal, Page } from '../../ui/page';
import { authMessages } from './messages';

const fields = ['townshipName', 'adminName', 'adminEmail'] as const;
type Field = (typeof fields)[number];

export function SignUpPage() {
  const t = useT(authMessages);
  const tc = useT(common);
  const session = useSession();
  const [values, setValues] = useState<Record<Field, string>>({
    townshipName: '',
    adminName: '',
    adminEmail: '',
  });
  const [clientErrors, setClientErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ apiKey: string; name: string }>();
  // The same filled-in form keeps its idempotency key: a retry after a lost answer creates nothing twice.
  const [keyFor] = useState(idempotencyKeys);

  const set = (name: Field) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };

  if (created) {
    return (
      <Page title={t('signUpTitle')}>
        <p class="alert alert--success">{t('signedUp', { name: created.name })}</p>
        <KeyReveal
          apiKey={created.apiKey}
          doneLabel={t('continueToConsole')}
          onDone={async () => {
            try {
              await session.signIn(created.apiKey);
              navigate('/', { replace: true });
            } catch (e) {
              setError(e);
            }
          }}
        />
        <FormAlert error={error} />
      </Page>
    );
  }

  return (
    <Page title={t('signUpTitle')}>
      <p>{t('signUpIntro')}</p>
      <form
        class="form narrow"
        method="post"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const own: Partial<Record<string, string>> = {};
          for (const f of fields) if (!values[f].trim()) own[f] = tc('required');
          if (!own.adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.adminEmail.trim()))
            own.adminEmail = t('emailInvalid');
          setClientErrors(own);
          setError(undefined);
          if (Object.keys(own).length > 0) {
            document.getElementById(Object.keys(own)[0]!)?.focus();
            return;
          }
          setBusy(true);
          try {
            const body = {
              townshipName: values.townshipName.trim(),
              adminName: values.adminName.trim(),
              adminEmail: values.adminEmail.trim(),
            };
            const answer = await api<{ apiKey: string }>('POST', '/v1/signup', {
              anonymous: true,
              idempotencyKey: keyFor(body),
              body,
            });
            setCreated({ apiKey: answer.apiKey, name: values.townshipName.trim() });
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormAlert error={error} fields={fields} />
        <TextField
          id="townshipName"
          label={t('townshipName')}
          value={values.townshipName}
          onValue={set('townshipName')}
          error={fieldError('townshipName', clientErrors, error)}
          required
          autoComplete="organization"
        />
        <TextField
          id="adminName"
          label={t('adminName')}
          value={values.adminName}
          onValue={set('adminName')}
          error={fieldError('adminName', clientErrors, error)}
          required
          autoComplete="name"
        />
        <TextField
          id="adminEmail"
          type="email"
          label={t('adminEmail')}
          value={values.adminEmail}
          onValue={set('adminEmail')}
          error={fieldError('adminEmail', clientErrors, error)}
          required
          autoComplete="email"
        />
        <Button type="submit" disabled={busy}>
          {busy ? t('signingUp') : t('signUpButton')}
        </Button>
      </form>
      <p class="aside">
        {t('haveKey')} <Link href="/signin">{t('toSignIn')}</Link>
      </p>
    </Page>
  );
}
