// GET /pick/<kind>.json?q=…&companyId=… — the record picker's type-to-search (public/js/recordPicker.js):
// at most 20 rows of one company, in the user's scope. A superuser names the company; everyone else
// searches their own, whatever companyId says.
import type { RequestHandler } from 'express';
import { choosesCompany } from '../access/policy.ts';
import { optionalQueryId } from '../web/forms.ts';
import { pickQuery, pickRecords, type PickKind } from './queries.ts';

export function pickHandler(kind: PickKind): RequestHandler {
  return async (req, res) => {
    const user = req.user!;
    const companyId = choosesCompany(user) ? optionalQueryId(req.query.companyId) : user.companyId;
    res.set('Cache-Control', 'no-store');
    if (!companyId) return void res.status(422).json({ error: 'Name the company (companyId).' });
    const options = await pickRecords(req.db, kind, companyId, pickQuery(req.query.q));
    res.json({ options });
  };
}
