// Signs in over real HTTP as a browser would: password, then the 6-digit code read from the mail
// that the SMTP catcher received. Returns the Cookie header of the signed-in session.
import type { MailCatcher } from '../tests/helpers/smtp.ts';

class CookieJar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

/** `headers` go with every request (the bench sends X-Forwarded-Proto: https, as a TLS proxy would). */
export async function signInOverHttp(
  baseUrl: string,
  mail: MailCatcher,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const jar = new CookieJar();
  const get = async (path: string) => {
    const res = await fetch(baseUrl + path, { headers: { ...headers, cookie: jar.header() }, redirect: 'manual' });
    jar.take(res);
    return { status: res.status, text: await res.text() };
  };
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { ...headers, cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    jar.take(res);
    await res.arrayBuffer();
    return res.status;
  };
  const login = await get('/login');
  const sent = await post('/login', { email, password, _csrf: csrfFrom(login.text) });
  if (sent !== 303) throw new Error(`sign-in of ${email}: the password step answered ${sent}`);
  const message = await mail.latestTo(email);
  const code = /\b(\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error(`sign-in of ${email}: no code in the mail`);
  const verifyPage = await get('/login/verify');
  const done = await post('/login/verify', { code, _csrf: csrfFrom(verifyPage.text) });
  if (done !== 303) throw new Error(`sign-in of ${email}: the code step answered ${done}`);
  const dashboard = await get('/dashboard');
  if (dashboard.status !== 200)
    throw new Error(`sign-in of ${email}: /dashboard answered ${dashboard.status} after signing in`);
  return jar.header();
}
