// The app's dependencies (config, jobs, database) for API handlers whose page twin needs them (an appointment's
// mail goes through the job queue): the route table is static data, so the API router hands them over per request.
import type { RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps.ts';

export const attachApiDeps =
  (deps: AppDeps): RequestHandler =>
  (_req, res, next) => {
    res.locals.apiDeps = deps;
    next();
  };

export const apiDeps = (res: Response): AppDeps => res.locals.apiDeps as AppDeps;
