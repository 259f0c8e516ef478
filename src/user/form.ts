// New user (an invitation: the user sets their own password through the emailed link), the edit
// form, deactivating and reactivating (users are never deleted: their records keep their names) and
// sending the invitation again. Role-adaptive: superusers first pick the company; nobody edits their
// own role or active flag; the server applies the same rules to whatever a crafted POST sends.
import type { Request, RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { DEFAULT_STAFF_GROUP } from '../access/permissions.ts';
import {
  assignableRoles,
  canChangeRoleOrActive,
  choosesCompany,
  joinsDefaultStaffGroup,
  newUserRole,
} from '../access/policy.ts';
import { endSessionsOf } from '../account/queries.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { mailTemplates } from '../mail/templates.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, typedValues, type FieldErrors } from '../web/forms.ts';
import { TIME_ZONES } from '../web/time.ts';
import { formCompany, renderCompanyChoice } from '../company/choices.ts';
import { companyGroups, type UserDetail } from './queries.ts';
import { ROLE_LABELS, selfUpdateForm, USER_FIELDS, userCreateForm, userUpdateForm } from './schema.ts';
import { createUser, reinviteUser, setUserActive, updateUser } from './writes.ts';

const EMAIL_TAKEN: FieldErrors = { email: 'Another account already uses this email address.' };

/** The checked ids of a posted checkbox list, for re-rendering. */
function postedIds(v: unknown): number[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string' && /^\d{1,9}$/.test(x)).map(Number);
}

/** The groups among `groups` whose ids were posted, or null when one is not a group of the company. */
function pickGroups(groups: { id: number; name: string }[], ids: number[]) {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const picked = ids.map((id) => byId.get(id));
  return picked.every((g) => g) ? (picked as { id: number; name: string }[]) : null;
}

export function userFormHandlers(deps: AppDeps) {
  function formLocals(
    actor: CurrentUser,
    company: { id: number; name: string },
    groups: { id: number; name: string }[],
  ) {
    return {
      company,
      groups,
      timeZones: TIME_ZONES,
      roles: assignableRoles(actor).map((r) => [r, ROLE_LABELS[r]]),
      superuser: choosesCompany(actor),
    };
  }

  const chooseCompany = (req: Request, res: Response, error?: string) =>
    renderCompanyChoice(res, req.db, {
      action: '/users/new',
      noun: 'user',
      error,
      keep: { role: newUserRole(req.query.role) },
    });

  /** GET /users/new — the invitation form (superusers: ?companyId=N after choosing the company). */
  const newForm: RequestHandler = async (req, res) => {
    const company = await formCompany(req.db, req.user!, req.query.companyId);
    if (!company) return chooseCompany(req, res);
    const groups = await companyGroups(req.db, company.id);
    const role = newUserRole(req.query.role);
    const staffGroup = joinsDefaultStaffGroup(role)
      ? groups.find((g) => g.name === DEFAULT_STAFF_GROUP.name)
      : undefined;
    res.render('user/new', {
      title: 'New user',
      ...formLocals(req.user!, company, groups),
      values: { name: '', email: '', role, timeZone: req.user!.timeZone },
      checked: staffGroup ? [staffGroup.id] : [],
    });
  };

  /** POST /users — creates the user (no password) and emails an invitation to set one. */
  const create: RequestHandler = async (req, res) => {
    const actor = req.user!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!choosesCompany(actor) && body.companyId !== undefined && body.companyId !== String(actor.companyId)) {
      throw new Forbidden('Users can only be created in your own company.');
    }
    const company = await formCompany(req.db, actor, body.companyId);
    if (!company) return chooseCompany(req, res, 'Choose an active company.');
    const groups = await companyGroups(req.db, company.id);
    const locals = {
      title: 'New user',
      ...formLocals(actor, company, groups),
      values: typedValues(body, USER_FIELDS),
      checked: postedIds(body.groupIds),
    };
    const invalid = (errors: FieldErrors) => res.status(422).render('user/new', { ...locals, fieldErrors: errors });
    const parsed = parseForm(userCreateForm(choosesCompany(actor)), body);
    if (!parsed.ok) return invalid(parsed.errors);
    let picked = pickGroups(groups, parsed.data.groupIds);
    if (!picked) return invalid({ groupIds: 'Choose groups of this company only.' });
    if (picked.length === 0 && joinsDefaultStaffGroup(parsed.data.role))
      picked = groups.filter((g) => g.name === DEFAULT_STAFF_GROUP.name);
    let created: Awaited<ReturnType<typeof createUser>>;
    try {
      created = await createUser(
        req.db,
        actor,
        deps.config.appUrl,
        company.id,
        { ...parsed.data, groupIds: picked.map((g) => g.id) },
        picked.map((g) => g.name),
        (tx, to) =>
          deps.jobs.enqueue('mail', mailTemplates.invitation(to.email, actor.name, company.name, to.url), { tx }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) return invalid(EMAIL_TAKEN);
      throw err;
    }
    // The invitation is enqueued with the account (src/jobs/outbox.ts); the worker sends it and retries.
    flash(
      req,
      'success',
      `${created.user.name} is invited: we are emailing ${created.user.email} a link to set a password.`,
    );
    res.redirect(303, `/users/${created.user.id}`);
  };

  async function renderEdit(
    req: Request,
    res: Response,
    target: UserDetail,
    values: Record<string, string>,
    checked: number[],
    status = 200,
    extra: Record<string, unknown> = {},
  ) {
    const groups = await companyGroups(req.db, target.companyId!);
    res.status(status).render('user/edit', {
      title: `Edit ${target.name}`,
      ...formLocals(req.user!, target.company!, groups),
      target,
      values,
      checked,
      isSelf: !canChangeRoleOrActive(req.user, target),
      conflict: null,
      ...extra,
    });
  }

  /** GET /users/:id/edit — name, email, role, active flag, time zone and groups. */
  const edit: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    await renderEdit(
      req,
      res,
      target,
      {
        name: target.name,
        email: target.email,
        role: target.role,
        timeZone: target.timeZone,
        active: target.active ? 'on' : '',
        version: String(target.version),
      },
      target.groups.map((g) => g.id),
    );
  };

  /** POST /users/:id — saves the user (optimistic locking); deactivation signs them out. */
  const update: RequestHandler = async (req, res) => {
    const actor = req.user!;
    const target = load.user.of(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const self = !canChangeRoleOrActive(actor, target);
    if (body.companyId !== undefined && body.companyId !== String(target.companyId))
      throw new Forbidden('Users cannot be moved to another company.');
    if (self && body.role !== undefined && body.role !== target.role)
      throw new Forbidden('You cannot change your own role.');
    if (self && body.active !== undefined && !['on', 'true', '1'].includes(String(body.active)))
      throw new Forbidden('You cannot deactivate yourself.');
    const values = {
      ...typedValues(body, [...USER_FIELDS, 'active', 'version']),
      ...(self ? { role: target.role, active: 'on' } : {}),
    };
    const checked = postedIds(body.groupIds);
    const invalid = (errors: FieldErrors) =>
      renderEdit(req, res, target, values, checked, 422, { fieldErrors: errors });
    const parsed = self ? parseForm(selfUpdateForm, body) : parseForm(userUpdateForm, body);
    if (!parsed.ok) return invalid(parsed.errors);
    const data = parsed.data as {
      name: string;
      email: string;
      timeZone: string;
      groupIds: number[];
      version: number;
      role?: 'STAFF' | 'ACCOUNT_MANAGER';
      active?: boolean;
    };
    const picked = pickGroups(await companyGroups(req.db, target.companyId!), data.groupIds);
    if (!picked) return invalid({ groupIds: 'Choose groups of this company only.' });
    let result: Awaited<ReturnType<typeof updateUser>>;
    try {
      result = await updateUser(req.db, actor, target, data.version, {
        name: data.name,
        email: data.email,
        timeZone: data.timeZone,
        groups: picked,
        role: self ? target.role : data.role!,
        active: self ? target.active : data.active!,
      });
    } catch (err) {
      if (isUniqueViolation(err)) return invalid(EMAIL_TAKEN);
      throw err;
    }
    if (!result.ok) {
      const c = result.current;
      if (!c) throw new NotFound();
      return renderEdit(req, res, target, { ...values, version: String(c.version) }, checked, 409, {
        conflict: [
          ['Full name', c.name],
          ['Email', c.email],
          ['Role', ROLE_LABELS[c.role]],
          ['Time zone', c.timeZone],
          ['Active', c.active ? 'yes' : 'no'],
          ['Groups', c.groups.map((g) => g.name).join(', ')],
        ],
      });
    }
    if (result.deactivated) await endSessionsOf(deps.db.pool, target.id);
    flash(req, 'success', result.deactivated ? 'User saved and deactivated: they are signed out.' : 'User saved.');
    res.redirect(303, `/users/${target.id}`);
  };

  /** GET /users/:id/delete — asks before deactivating. */
  const confirmDeactivate: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (!canChangeRoleOrActive(req.user, target)) throw new Forbidden('You cannot deactivate yourself.');
    res.render('user/confirm-delete', { title: `Deactivate ${target.name}`, target });
  };

  /** POST /users/:id/delete — deactivates the user; their sessions stop working at once. */
  const deactivate: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (!canChangeRoleOrActive(req.user, target)) throw new Forbidden('You cannot deactivate yourself.');
    const changed = await setUserActive(req.db, req.user!, target, false);
    if (changed) await endSessionsOf(deps.db.pool, target.id);
    flash(
      req,
      'success',
      changed ? `${target.name} is deactivated and signed out.` : `${target.name} was already inactive.`,
    );
    res.redirect(303, `/users/${target.id}`);
  };

  /** POST /users/:id/reactivate — lets the user sign in again. */
  const reactivate: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (!canChangeRoleOrActive(req.user, target)) throw new Forbidden('You cannot change your own active flag.');
    const changed = await setUserActive(req.db, req.user!, target, true);
    flash(req, 'success', changed ? `${target.name} is active again.` : `${target.name} was already active.`);
    res.redirect(303, `/users/${target.id}`);
  };

  /** POST /users/:id/invite — a new set-password link for a user who has none yet (older links stop working). */
  const reinvite: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (target.hasPassword)
      throw new Forbidden('This user has already set a password; they can use "Forgot your password?".');
    if (!target.active) throw new Forbidden('Reactivate the user before inviting them again.');
    await reinviteUser(req.db, req.user!, deps.config.appUrl, target, (tx, to) =>
      deps.jobs.enqueue(
        'mail',
        mailTemplates.invitation(to.email, req.user!.name, target.company?.name ?? '', to.url),
        {
          tx,
        },
      ),
    );
    flash(req, 'success', `We are emailing ${target.email} a new link to set a password.`);
    res.redirect(303, `/users/${target.id}`);
  };

  return { newForm, create, edit, update, confirmDeactivate, deactivate, reactivate, reinvite };
}
