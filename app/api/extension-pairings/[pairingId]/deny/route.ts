import { sessionRoute } from "@/lib/http/route";
import { denyPairing } from "@/lib/services/extension-pairings/deny";

export const POST = sessionRoute({}, async ({ ctx, params }) => denyPairing(ctx, params.pairingId!));
