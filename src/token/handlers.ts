// The API tokens page (/tokens): one's own tokens with the form that makes one, and, for account managers and
// superusers, everyone else's they may revoke. A new token's secret waits in the session sealed (src/secret.ts) and
// is shown on the next page once, then forgotten: the app keeps only its hash.
import type { Request, RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { sessionSealer } from '../secret.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid } from '../web/forms.ts';
import { findOthersTokens, findOwnTokens, TOKEN_LIST_SIZE, type TokenRow } from './queries.ts';
import { newTokenForm, TOKEN_ACCESS_LABELS, tokenChoices } from './schema.ts';
import { createApiToken, revokeApiToken } from './writes.ts';

declare module 'express-session' {
  interface SessionData {
    /** A token just made: shown once on the next tokens page, then forgotten. */
    newApiToken?: string;
  }
}

/** A token's state as the page shows it. */
export function tokenState(t: Pick<TokenRow, 'revokedAt' | 'expiresAt'>, now: Date): 'active' | 'revoked' | 'expired' {
  if (t.revokedAt) return 'revoked';
  return t.expiresAt <= now ? 'expired' : 'active';
}

const DEFAULT_VALUES = { name: '', access: 'READ', lifetimeDays: '90' };

export function tokenHandlers(deps: AppDeps) {
  const sealer = sessionSealer(deps.sessionSecret, 'api token');

  const pageLocals = async (req: Request, values: Record<string, unknown>) => {
    const sealed = req.session.newApiToken;
    if (sealed) delete req.session.newApiToken;
    const [own, others] = await Promise.all([
      findOwnTokens(req.db, req.user!.id),
      // Staff see only their own: their scope holds no one else's token.
      findOthersTokens(req.db, req.user!.id),
    ]);
    return {
      title: 'API tokens',
      own,
      others,
      listSize: TOKEN_LIST_SIZE,
      newToken: sealed ? sealer.open(sealed) : null,
      values,
      tokenChoices,
      accessLabels: TOKEN_ACCESS_LABELS,
      stateOf: (t: TokenRow) => tokenState(t, new Date()),
      apiUrl: `${deps.config.appUrl}/api/v1`,
    };
  };

  /** GET /tokens */
  const list: RequestHandler = async (req, res) => {
    res.render('token/index', await pageLocals(req, DEFAULT_VALUES));
  };

  /** POST /tokens — a new token; its secret is shown once on the page it redirects to. */
  const create: RequestHandler = async (req, res) => {
    const parsed = parseForm(newTokenForm, req.body);
    if (!parsed.ok) {
      const typed = { ...DEFAULT_VALUES, ...req.body };
      return renderInvalid(res, 'token/index', await pageLocals(req, typed), parsed.errors);
    }
    const { token } = await createApiToken(req.db, req.user!, parsed.data);
    req.session.newApiToken = sealer.seal(token);
    flash(req, 'success', `Token "${parsed.data.name}" created. Copy it now: it is shown only once.`);
    res.redirect(303, '/tokens#new-token');
  };

  /** GET /tokens/:id/revoke — asks first. */
  const confirmRevoke: RequestHandler = (req, res) => {
    const token = load.apiToken.of(req);
    res.render('token/confirm-revoke', { title: `Revoke ${token.name}?`, token });
  };

  /** POST /tokens/:id/revoke — the token stops working at once. */
  const revoke: RequestHandler = async (req, res) => {
    const token = load.apiToken.of(req);
    const done = await revokeApiToken(req.db, req.user!, token);
    flash(req, done ? 'success' : 'info', done ? `Token "${token.name}" revoked.` : 'That token was already revoked.');
    res.redirect(303, '/tokens');
  };

  return { list, create, confirmRevoke, revoke };
}
