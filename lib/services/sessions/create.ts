import type { Tx } from "@/db/client";
import { sessions } from "@/db/schema";
import { env } from "@/lib/env";
import { digest, newId, newSecret } from "@/lib/ids";
import type { RequestInfo } from "@/lib/services/context";

/**
 * Opens a session inside the caller's transaction and returns the cookie value (shown once, stored
 * as a digest). A new session id at every sign-in: nothing from before authentication carries over.
 */
export async function createSession(
  tx: Tx,
  args: { mspId: string; memberId: string; passkeyId: string; request: RequestInfo },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = newSecret();
  const sessionId = newId("session");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + env.SESSION_ABSOLUTE_HOURS * 3600_000);
  await tx.insert(sessions).values({
    id: sessionId,
    mspId: args.mspId,
    memberId: args.memberId,
    tokenDigest: digest(token),
    passkeyId: args.passkeyId,
    ip: args.request.ip,
    userAgent: args.request.userAgent?.slice(0, 500) ?? null,
    expiresAt,
    // A sign-in is itself a fresh passkey assertion, so it counts as a step-up for five minutes; the equal
    // stamps mark it as the sign-in's, which actions that use up a step-up refuse (auth/spend-step-up.ts).
    createdAt: now,
    steppedUpAt: now,
  });
  return { token, sessionId, expiresAt };
}
