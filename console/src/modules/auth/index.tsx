import type { ConsoleModule } from '../module';
import { SignInPage } from './sign-in';
import { SignUpPage } from './sign-up';

export const authModule: ConsoleModule = {
  name: 'auth',
  routes: [
    { path: '/signin', public: true, render: () => <SignInPage /> },
    { path: '/signup', public: true, render: () => <SignUpPage /> },
  ],
};
