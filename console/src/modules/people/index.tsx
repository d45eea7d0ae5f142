import type { ConsoleModule } from '../module';
import { DuePage } from './due';
import { PeopleListPage } from './list';
import { PersonPage } from './person';
import { RegisterPage } from './register';

export const peopleModule: ConsoleModule = {
  name: 'people',
  routes: [
    { path: '/people', requires: 'GET /v1/people', render: (_, query) => <PeopleListPage query={query} /> },
    { path: '/people/due', requires: 'GET /v1/people/due', render: (_, query) => <DuePage query={query} /> },
    { path: '/people/new', requires: 'POST /v1/people', render: () => <RegisterPage /> },
    {
      path: '/people/:personId',
      requires: 'GET /v1/people/{personId}',
      render: ({ personId }) => <PersonPage key={personId} personId={personId ?? ''} />,
    },
  ],
  nav: [
    {
      href: '/people',
      order: 20,
      label: { 'zh-CN': '人员', en: 'People' },
      requires: 'GET /v1/people',
      matches: (path) => path === '/people' || /^\/people\/(?!due$|new$)[^/]+$/.test(path),
    },
    {
      href: '/people/due',
      order: 30,
      label: { 'zh-CN': '待核查', en: 'Due for verification' },
      requires: 'GET /v1/people/due',
    },
    {
      href: '/people/new',
      order: 40,
      label: { 'zh-CN': '登记', en: 'Register' },
      requires: 'POST /v1/people',
    },
  ],
};
