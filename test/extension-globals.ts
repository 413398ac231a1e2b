import { publicRoutes } from "@/lib/api/public-routes";

// The extension's build writes the public routes in as STINT_ROUTES; its unit tests get the same table.
(globalThis as { STINT_ROUTES?: unknown }).STINT_ROUTES = publicRoutes();
