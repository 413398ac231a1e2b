import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { denyPairing } from "@/lib/services/extension-pairings/deny";

export const POST = route(operations.denyExtensionPairing, async ({ ctx, params }) => denyPairing(ctx, params.pairingId));
