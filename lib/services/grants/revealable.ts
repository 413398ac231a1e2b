import type { Tx } from "@/db/client";
import type { Grant } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { TokenActor } from "@/lib/services/context";
import { hasCredential } from "./credential";
import { getGrantInMsp } from "./grant-row";

/** A grant whose credential may be read now: active, holding the secret its sign-in method uses. */
export function requireRevealable(grant: Grant): Grant {
  if (grant.state !== "active" || !hasCredential(grant)) throw new AppError("conflict", `There is no credential to reveal: the grant is ${grant.state}.`);
  return grant;
}

/**
 * The grant whose credential a token may read: the token owner's own grant (another member's is "not
 * found", even for an admin), within the token's customer restriction, active with its secret sealed.
 * Shared by the token credential read and launch-ticket redemption; the caller audits and unseals.
 */
export async function tokenOwnersCredentialGrant(tx: Tx, mspId: string, actor: TokenActor, grantId: string): Promise<Grant> {
  const grant = await getGrantInMsp(tx, mspId, grantId).catch(() => null);
  if (!grant || grant.memberId !== actor.memberId) throw notFound("Grant");
  if (actor.customerIds !== null && !actor.customerIds.includes(grant.customerId)) throw notFound("Grant");
  return requireRevealable(grant);
}
