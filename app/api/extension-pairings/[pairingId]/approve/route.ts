import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { approvePairing } from "@/lib/services/extension-pairings/approve";

/** Needs a fresh passkey step-up (403 step_up_required otherwise; the console runs it and retries). */
export const POST = route(operations.approveExtensionPairing, async ({ ctx, params }) => approvePairing(ctx, params.pairingId));
