import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { startPairing } from "@/lib/services/extension-pairings/start";

/** No authentication (the extension has nothing yet); rate-limited per client address by the wrapper. */
export const POST = route(operations.startExtensionPairing, async ({ rawBody, request }) => startPairing(rawBody, request));
