import { operations } from "@/lib/api/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { pollPairing } from "@/lib/services/extension-pairings/poll";

/** The device code is the credential here; pacing, expiry and the once-only token are the service's. */
export const POST = route(operations.pollExtensionPairing, async ({ rawBody, request }) => {
  const answer = await pollPairing(rawBody, request);
  return answer.status === "pending" ? answer : { ...answer, expiresAt: isoRequired(answer.expiresAt) };
});
