import authRoutes from '../modules/auth/auth.routes.ts';
import divisionRoutes from '../modules/divisions/divisions.routes.ts';
import networkRoutes from '../modules/network/network.routes.ts';
import kpiRoutes from '../modules/kpi/kpi.routes.ts';
import mapRoutes from '../modules/map/map.routes.ts';
import planningRoutes from '../modules/planning/planning.routes.ts';
import addressRoutes from '../modules/address/address.routes.ts';
import parcelsRoutes from '../modules/parcels/parcels.routes.ts';
import outboundRoutes from '../modules/outbound/outbound.routes.ts';
import webhooksRoutes from '../modules/webhooks/webhooks.routes.ts';
import partnerApiRoutes from '../modules/partner-api/partner-api.routes.ts';
import stationsRoutes from '../modules/stations/stations.routes.ts';
import settlementRoutes from '../modules/settlement/settlement.routes.ts';
import type { RouteModule } from './context.ts';

/** Every module's routes, registered in this order. Add a module by adding a line. */
export const MODULES: RouteModule[] = [authRoutes, divisionRoutes, networkRoutes, kpiRoutes, mapRoutes, addressRoutes, parcelsRoutes, planningRoutes, outboundRoutes, webhooksRoutes, partnerApiRoutes, stationsRoutes, settlementRoutes];
