import type { ComponentChildren } from 'preact';
import type { Locale } from '../core/i18n';

/** One page: a path pattern (`/people/:personId`), who may open it, and what it shows. */
export interface PageRoute {
  path: string;
  /** The API operation the page is for (`GET /v1/api-keys`): keys whose role may not call it don't get the page. */
  requires?: string;
  /** Sign-in and sign-up: shown without a session. */
  public?: boolean;
  render(params: Record<string, string>, query: URLSearchParams): ComponentChildren;
}

export interface NavItem {
  href: string;
  label: Record<Locale, string>;
  requires?: string;
  /** Position in the main navigation (ascending). */
  order: number;
  /** Also marked current for paths under these prefixes. */
  matches?: (path: string) => boolean;
}

/**
 * A console module: its pages and navigation entries. A new API module's pages are one
 * folder under src/modules/ exporting one of these, plus one line in src/modules/index.ts.
 */
export interface ConsoleModule {
  name: string;
  routes: PageRoute[];
  nav?: NavItem[];
}
