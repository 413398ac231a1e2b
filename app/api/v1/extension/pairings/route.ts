import { operations } from "@/lib/api/v1/operations";
import { apiRoute } from "@/lib/http/api-route";
import { startPairing } from "@/lib/services/extension-pairings/start";

/** No authentication (the extension has nothing yet); rate-limited per client address by apiRoute. */
export const POST = apiRoute(operations.startExtensionPairing, async ({ rawBody, request }) => startPairing(rawBody, request));
