import { operations } from "@/lib/api/v1/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { pollPairing } from "@/lib/services/extension-pairings/poll";

/** The device code is the credential here; pacing, expiry and the once-only token are the service's. */
export const POST = apiRoute(operations.pollExtensionPairing, async ({ rawBody, request }) => {
  const answer = await pollPairing(rawBody, request);
  return answer.status === "pending" ? answer : { ...answer, expiresAt: isoRequired(answer.expiresAt) };
});
