/**
 * The housing pages (docs/housing.md): houses, the building view, landlords, letters and the
 * housing worklists. Only this file is in the first load: the pages themselves are one chunk
 * (./pages.ts) fetched the first time a housing page opens.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { OfflineError } from '../../core/api';
import { LoadError, Loading } from '../../ui/page';
import type { ConsoleModule, PageRoute } from '../module';

type Pages = typeof import('./pages');
let chunk: Pages | undefined;
let loading: Promise<Pages> | undefined;

function loadPages(): Promise<Pages> {
  loading ??= import('./pages').then(
    (m) => {
      chunk = m;
      return m;
    },
    (error: unknown) => {
      loading = undefined;
      // A chunk that could not be fetched is a connection problem to the user.
      throw new OfflineError(String(error));
    },
  );
  return loading;
}

/** Renders `render(pages)` once the housing chunk is loaded ("Loading…" until then). */
function Lazy({ render }: { render: (pages: Pages) => ComponentChildren }) {
  const [pages, setPages] = useState(chunk);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (pages) return;
    let live = true;
    loadPages().then(
      (m) => live && setPages(m),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [pages, attempt]);
  if (pages) return <>{render(pages)}</>;
  if (error) {
    return (
      <LoadError
        error={error}
        retry={() => {
          setError(undefined);
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  return <Loading />;
}

const lazy =
  (render: (pages: Pages, params: Record<string, string>, query: URLSearchParams) => ComponentChildren) =>
  (params: Record<string, string>, query: URLSearchParams) => (
    <Lazy render={(pages) => render(pages, params, query)} />
  );

const routes: PageRoute[] = [
  {
    path: '/houses',
    requires: 'GET /v1/houses',
    render: lazy((p, _, query) => <p.HousesListPage query={query} />),
  },
  {
    path: '/houses/buildings',
    requires: 'GET /v1/houses',
    render: lazy((p, _, query) => <p.BuildingsPage query={query} />),
  },
  {
    path: '/houses/new',
    requires: 'POST /v1/houses',
    render: lazy((p, _, query) => <p.RegisterHousePage query={query} />),
  },
  {
    path: '/houses/banned-occupied',
    requires: 'GET /v1/houses/banned-occupied',
    render: lazy((p, _, query) => <p.BannedOccupiedPage query={query} />),
  },
  {
    path: '/houses/lapsed-letters',
    requires: 'GET /v1/houses/lapsed-letters',
    render: lazy((p, _, query) => <p.LapsedLettersPage query={query} />),
  },
  {
    path: '/houses/:houseId',
    requires: 'GET /v1/houses/{houseId}',
    render: lazy((p, { houseId }) => <p.HousePage key={houseId} houseId={houseId ?? ''} />),
  },
  {
    path: '/landlords',
    requires: 'GET /v1/landlords',
    render: lazy((p, _, query) => <p.LandlordsListPage query={query} />),
  },
  {
    path: '/landlords/new',
    requires: 'POST /v1/landlords',
    render: lazy((p) => <p.NewLandlordPage />),
  },
  {
    path: '/landlords/:landlordId',
    requires: 'GET /v1/landlords/{landlordId}',
    render: lazy((p, { landlordId }) => <p.LandlordPage key={landlordId} landlordId={landlordId ?? ''} />),
  },
  {
    path: '/letters',
    requires: 'GET /v1/letters',
    render: lazy((p, _, query) => <p.LettersListPage query={query} />),
  },
  {
    path: '/letters/expiring',
    requires: 'GET /v1/letters/expiring',
    render: lazy((p, _, query) => <p.ExpiringLettersPage query={query} />),
  },
  {
    path: '/letters/:letterId',
    requires: 'GET /v1/letters/{letterId}',
    render: lazy((p, { letterId }) => <p.LetterPage key={letterId} letterId={letterId ?? ''} />),
  },
];

const housingPath = /^\/(houses|landlords|letters)(\/|$)/;

export const housingModule: ConsoleModule = {
  name: 'housing',
  routes,
  // One entry in the main navigation; the housing pages have their own section navigation
  // (each entry shown only to keys whose role may call its operation).
  nav: [
    {
      href: '/houses',
      order: 45,
      label: { 'zh-CN': '出租房屋', en: 'Housing' },
      requires: 'GET /v1/houses',
      matches: (path) => housingPath.test(path),
    },
  ],
};
