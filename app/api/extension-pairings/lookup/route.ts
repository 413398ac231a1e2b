import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { lookupPairing } from "@/lib/services/extension-pairings/lookup";

/** A POST, so the code stays out of URLs and logs; rate-limited per member by the service. */
export const POST = route(operations.lookupExtensionPairing, async ({ ctx, rawBody }) => {
  const pairing = await lookupPairing(ctx, rawBody);
  return { ...pairing, createdAt: pairing.createdAt.toISOString(), expiresAt: pairing.expiresAt.toISOString() };
});
