import { useState } from 'preact/hooks';
import { ApiError } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import { Button, FormAlert, ServerMessage, TextField } from '../../ui/form';
import { Page } from '../../ui/page';
import { authMessages } from './messages';

export function SignInPage() {
  const t = useT(authMessages);
  const tc = useT(common);
  const session = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [clientError, setClientError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const keyError =
    clientError ??
    (error instanceof ApiError && (error.status === 401 || error.status === 400) ? (
      <>
        {tc('error.401')} {error.problem.detail ? <ServerMessage message={error.problem.detail} /> : null}
      </>
    ) : undefined);

  return (
    <Page title={t('signInTitle')}>
      <p>{t('signInIntro')}</p>
      {session.notice ? (
        <div class="alert alert--warning" role="alert">
          {tc('sessionEnded', { reason: '' })} <ServerMessage message={session.notice} />
        </div>
      ) : null}
      <form
        class="form narrow"
        method="post"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          setError(undefined);
          const trimmed = key.trim();
          if (!trimmed) {
            setClientError(tc('required'));
            return;
          }
          setClientError(undefined);
          setBusy(true);
          try {
            await session.signIn(trimmed);
            setKey('');
            navigate('/', { replace: true });
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {error && !(error instanceof ApiError && (error.status === 401 || error.status === 400)) ? (
          <FormAlert error={error} />
        ) : null}
        <TextField
          id="apiKey"
          type="password"
          label={t('keyLabel')}
          hint={t('keyHint')}
          value={key}
          onValue={setKey}
          error={keyError}
          required
          autoComplete="off"
          spellcheck={false}
        />
        <Button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signInButton')}
        </Button>
      </form>
      <p class="aside">
        {t('noAccount')} <Link href="/signup">{t('toSignUp')}</Link>
      </p>
    </Page>
  );
}
