import { sessionRoute } from "@/lib/http/route";
import { startConsent } from "@/lib/services/connections/start-consent";

export const POST = sessionRoute({ permission: "customers:manage" }, async ({ ctx, params }) => startConsent(ctx, params.customerId!));
