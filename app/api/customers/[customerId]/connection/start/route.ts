import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { startConsent } from "@/lib/services/connections/start-consent";

export const POST = route(operations.startCustomerConnection, async ({ ctx, params }) => startConsent(ctx, params.customerId));
