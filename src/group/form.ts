// The group forms for account managers (their company) and superusers (any company): create,
// rename, pick permissions from a checklist, add and remove members, delete. The list and the
// group's page are in handlers.ts.
import type { Request, RequestHandler, Response } from 'express';
import { isUniqueViolation } from '../db/errors.ts';
import { load } from '../loaders.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, typedValues, type FieldErrors } from '../web/forms.ts';
import { formCompany, renderCompanyChoice } from '../company/choices.ts';
import { choosesCompany } from '../access/policy.ts';
import { ROLE_LABELS } from '../user/schema.ts';
import { memberOptions, type GroupDetail } from './queries.ts';
import { GROUP_FIELDS, groupCreateForm, groupUpdateForm, PERMISSION_CHOICES } from './schema.ts';
import { createGroup, deleteGroup, updateGroup } from './writes.ts';

const NAME_TAKEN: FieldErrors = { name: 'This company already has a group with this name.' };

/** The posted values of a checkbox list, for re-rendering. */
function posted(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

export function groupFormHandlers() {
  /** The posted member ids as users of the company, or null when one is not. */
  function pickMembers(options: { id: number; name: string }[], ids: number[]) {
    const byId = new Map(options.map((u) => [u.id, u]));
    const picked = ids.map((id) => byId.get(id));
    return picked.every((u) => u) ? (picked as { id: number; name: string }[]) : null;
  }

  async function renderForm(
    req: Request,
    res: Response,
    view: 'group/new' | 'group/edit',
    company: { id: number; name: string },
    locals: Record<string, unknown>,
    status = 200,
  ) {
    const users = await memberOptions(req.db, company.id);
    res.status(status).render(view, {
      company,
      users,
      choices: PERMISSION_CHOICES,
      roleLabels: ROLE_LABELS,
      conflict: null,
      ...locals,
    });
  }

  const chooseCompany = (req: Request, res: Response, error?: string) =>
    renderCompanyChoice(res, req.db, { action: '/groups/new', noun: 'group', error });

  /** GET /groups/new — the new-group form (superusers: ?companyId=N after choosing the company). */
  const newForm: RequestHandler = async (req, res) => {
    const company = await formCompany(req.db, req.user!, req.query.companyId);
    if (!company) return chooseCompany(req, res);
    await renderForm(req, res, 'group/new', company, {
      title: 'New group',
      values: { name: '' },
      permissions: [],
      memberIds: [],
    });
  };

  /** POST /groups — creates the group with its permissions and members. */
  const create: RequestHandler = async (req, res) => {
    const actor = req.user!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!choosesCompany(actor) && body.companyId !== undefined && body.companyId !== String(actor.companyId)) {
      throw new Forbidden('Groups can only be created in your own company.');
    }
    const company = await formCompany(req.db, actor, body.companyId);
    if (!company) return chooseCompany(req, res, 'Choose an active company.');
    const locals = {
      title: 'New group',
      values: typedValues(body, GROUP_FIELDS),
      permissions: posted(body.permissions),
      memberIds: posted(body.memberIds).map(Number),
    };
    const invalid = (errors: FieldErrors) =>
      renderForm(req, res, 'group/new', company, { ...locals, fieldErrors: errors }, 422);
    const parsed = parseForm(groupCreateForm(choosesCompany(actor)), body);
    if (!parsed.ok) return invalid(parsed.errors);
    const members = pickMembers(await memberOptions(req.db, company.id), parsed.data.memberIds);
    if (!members) return invalid({ memberIds: "Choose members among this company's users." });
    try {
      const group = await createGroup(req.db, actor, company.id, parsed.data, members);
      flash(req, 'success', `Group "${group.name}" created.`);
      res.redirect(303, `/groups/${group.id}`);
    } catch (err) {
      if (isUniqueViolation(err)) return invalid(NAME_TAKEN);
      throw err;
    }
  };

  const editLocals = (group: GroupDetail) => ({
    title: `Edit ${group.name}`,
    group,
    values: { name: group.name, version: String(group.version) },
    permissions: group.permissions,
    memberIds: group.members.map((m) => m.id),
  });

  /** GET /groups/:id/edit — rename, permissions checklist, members checklist. */
  const edit: RequestHandler = async (req, res) => {
    const group = load.group.of(req);
    await renderForm(req, res, 'group/edit', group.company, editLocals(group));
  };

  /**
   * POST /groups/:id — saves name, permissions and members (optimistic locking); members feel it on their next request.
   */
  const update: RequestHandler = async (req, res) => {
    const group = load.group.of(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const locals = {
      ...editLocals(group),
      values: typedValues(body, ['name', 'version']),
      permissions: posted(body.permissions),
      memberIds: posted(body.memberIds).map(Number),
    };
    const invalid = (errors: FieldErrors) =>
      renderForm(req, res, 'group/edit', group.company, { ...locals, fieldErrors: errors }, 422);
    const parsed = parseForm(groupUpdateForm, body);
    if (!parsed.ok) return invalid(parsed.errors);
    const members = pickMembers(await memberOptions(req.db, group.companyId), parsed.data.memberIds);
    if (!members) return invalid({ memberIds: "Choose members among this company's users." });
    let result: Awaited<ReturnType<typeof updateGroup>>;
    try {
      result = await updateGroup(req.db, req.user!, group, parsed.data.version, parsed.data, members);
    } catch (err) {
      if (isUniqueViolation(err)) return invalid(NAME_TAKEN);
      throw err;
    }
    if (!result.ok) {
      const c = result.current;
      if (!c) throw new NotFound();
      return renderForm(
        req,
        res,
        'group/edit',
        group.company,
        {
          ...locals,
          values: { ...locals.values, version: String(c.version) },
          conflict: [
            ['Name', c.name],
            ['Permissions', c.permissions.join(', ')],
            ['Members', c.members.map((m) => m.name).join(', ')],
          ],
        },
        409,
      );
    }
    flash(req, 'success', 'Group saved. Its members have the new permissions from their next page on.');
    res.redirect(303, `/groups/${group.id}`);
  };

  /** GET /groups/:id/delete — asks before deleting. */
  const confirmDelete: RequestHandler = async (req, res) => {
    const group = load.group.of(req);
    res.render('group/confirm-delete', { title: `Delete ${group.name}`, group });
  };

  /** POST /groups/:id/delete — deletes the group; its members keep their other groups. */
  const destroy: RequestHandler = async (req, res) => {
    const group = load.group.of(req);
    await deleteGroup(req.db, req.user!, group);
    flash(req, 'success', `Group "${group.name}" deleted.`);
    res.redirect(303, '/groups');
  };

  return { newForm, create, edit, update, confirmDelete, destroy };
}
