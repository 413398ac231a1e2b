import { sessionRoute } from "@/lib/http/route";
import { lookupPairing } from "@/lib/services/extension-pairings/lookup";

/** A POST, so the code stays out of URLs and logs; rate-limited per member by the service. */
export const POST = sessionRoute({}, async ({ ctx, readJson }) => lookupPairing(ctx, await readJson()));
