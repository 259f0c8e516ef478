// Every domain's route list, in one place. A new domain adds its line here; the access sweep
// and the route inventory test walk this table, so new routes are covered without editing them.
import type { AppDeps } from './deps.ts';
import type { RouteDef } from './web/routes.ts';
import { accountRoutes } from './account/router.ts';
import { activityRoutes } from './activity/router.ts';
import { apiReferenceRoutes } from './api/reference.ts';
import { appointmentRoutes } from './appointment/router.ts';
import { auditRoutes } from './audit/router.ts';
import { boardRoutes } from './board/router.ts';
import { calendarRoutes } from './calendar/router.ts';
import { companyRoutes } from './company/router.ts';
import { customerRoutes } from './customer/router.ts';
import { duplicateRoutes } from './duplicate/router.ts';
import { dashboardRoutes } from './dashboard/router.ts';
import { groupRoutes } from './group/router.ts';
import { importRoutes } from './import/router.ts';
import { jobRoutes } from './jobs/router.ts';
import { leadRoutes } from './lead/router.ts';
import { pickerRoutes } from './picker/router.ts';
import { reportRoutes } from './report/router.ts';
import { taskRoutes } from './task/router.ts';
import { todayRoutes } from './today/router.ts';
import { tokenRoutes } from './token/router.ts';
import { webhookRoutes } from './webhook/router.ts';
import { userRoutes } from './user/router.ts';

export function allRoutes(deps: AppDeps): RouteDef[] {
  return [
    ...accountRoutes(deps),
    ...dashboardRoutes(deps),
    ...todayRoutes(deps),
    ...companyRoutes(deps),
    ...userRoutes(deps),
    ...groupRoutes(deps),
    ...auditRoutes(deps),
    ...jobRoutes(deps),
    // Before the customer and lead routes: /customers/import is not a customer id.
    ...importRoutes(deps),
    ...customerRoutes(deps),
    ...duplicateRoutes(deps),
    // Before the lead routes: /leads/board is not a lead id.
    ...boardRoutes(deps),
    ...leadRoutes(deps),
    ...taskRoutes(deps),
    ...appointmentRoutes(deps),
    ...activityRoutes(deps),
    ...pickerRoutes(deps),
    ...reportRoutes(deps),
    ...calendarRoutes(deps),
    ...tokenRoutes(deps),
    ...apiReferenceRoutes(deps),
    ...webhookRoutes(deps),
  ];
}
