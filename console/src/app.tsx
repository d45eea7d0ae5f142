import { useEffect } from 'preact/hooks';
import { type Locale, LocaleProvider, useLocale, useT } from './core/i18n';
import { common } from './core/messages';
import { Link, matchPath, navigate, useLocation } from './core/router';
import { SessionProvider, useSession } from './core/session';
import { consoleModules } from './modules';
import type { PageRoute } from './modules/module';
import { Forbidden, Loading, NotFound } from './ui/page';

const routes: PageRoute[] = consoleModules
  .flatMap((m) => m.routes)
  // Literal segments win over parameters (/people/due before /people/:personId).
  .sort((a, b) => (a.path.match(/:/g)?.length ?? 0) - (b.path.match(/:/g)?.length ?? 0));
const navItems = consoleModules.flatMap((m) => m.nav ?? []).sort((a, b) => a.order - b.order);

function resolve(path: string): { route: PageRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

export function App() {
  return (
    <LocaleProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </LocaleProvider>
  );
}

const otherLocale: Record<Locale, { locale: Locale; name: string }> = {
  'zh-CN': { locale: 'en', name: 'English' },
  en: { locale: 'zh-CN', name: '中文' },
};

function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const t = useT(common);
  const other = otherLocale[locale];
  return (
    <button
      type="button"
      class="button button--link lang-switch"
      lang={other.locale}
      title={t('switchLanguage')}
      data-switch-locale={other.locale}
      onClick={() => setLocale(other.locale)}
    >
      {other.name}
    </button>
  );
}

function Shell() {
  const t = useT(common);
  const { locale } = useLocale();
  const session = useSession();
  const location = useLocation();
  const found = resolve(location.path);
  const signedIn = session.status === 'signed-in';
  const mustSignIn = session.status === 'signed-out' && found && !found.route.public;
  const leaveAuthPage = signedIn && found?.route.public;

  useEffect(() => {
    if (mustSignIn) navigate('/signin', { replace: true });
    else if (leaveAuthPage) navigate('/', { replace: true });
  }, [mustSignIn, leaveAuthPage]);

  let content = null;
  if (session.status === 'loading' || mustSignIn || leaveAuthPage) content = <Loading />;
  else if (!found) content = <NotFound />;
  else if (found.route.requires && !session.can(found.route.requires)) content = <Forbidden />;
  else content = found.route.render(found.params, location.query);

  return (
    <>
      <a class="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header class="topbar">
        <div class="brand">
          <Link href={signedIn ? '/' : '/signin'} class="brand-name">
            {t('appName')}
          </Link>
          {signedIn && session.me ? <span class="township">{session.me.townshipName}</span> : null}
        </div>
        <div class="topbar-tools">
          {signedIn && session.me ? (
            <span class="whoami">
              {t('signedInAs', { name: session.me.keyName, role: t(`role.${session.me.role}`) })}
            </span>
          ) : null}
          <LanguageSwitch />
          {signedIn ? (
            <button type="button" class="button button--secondary" onClick={() => session.signOut()}>
              {t('signOut')}
            </button>
          ) : null}
        </div>
      </header>
      {signedIn ? (
        <nav class="mainnav" aria-label={t('mainNav')}>
          <ul>
            {navItems
              .filter((item) => !item.requires || session.can(item.requires))
              .map((item) => {
                const current = item.matches ? item.matches(location.path) : location.path === item.href;
                return (
                  <li key={item.href}>
                    <Link href={item.href} aria-current={current ? 'page' : undefined}>
                      {item.label[locale]}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </>
  );
}
