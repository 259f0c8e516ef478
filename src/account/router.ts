// Sign-in, sign-out, password reset and profile (SPEC sections 4 and 6).
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { passwordResetHandlers } from './passwordReset.ts';
import { profileHandlers } from './profile.ts';
import { signInHandlers } from './signIn.ts';

export function accountRoutes(deps: AppDeps): RouteDef[] {
  const s = signInHandlers(deps);
  const p = passwordResetHandlers(deps);
  const profile = profileHandlers(deps);
  return [
    route('get', '/login', 'public', s.showLogin),
    route('post', '/login', 'public', s.readDeviceCookie, s.login),
    route('get', '/login/verify', 'public', s.showVerify),
    route('post', '/login/verify', 'public', s.readDeviceCookie, s.verify),
    route('post', '/login/resend', 'public', s.resend),
    route('post', '/logout', 'signedIn', s.logout),
    route('get', '/password/forgot', 'public', p.showForgot),
    route('post', '/password/forgot', 'public', p.forgot),
    route('get', '/password/reset/:token', 'public', p.showReset),
    route('post', '/password/reset/:token', 'public', p.reset),
    route('get', '/profile', 'signedIn', profile.show),
    route('post', '/profile', 'signedIn', profile.update),
    route('post', '/profile/reminders', 'signedIn', profile.reminders),
  ];
}
