import { and, eq, isNull, sql } from "drizzle-orm";
import { members, msps, sessions } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { env } from "@/lib/env";
import { digest } from "@/lib/ids";

const TOUCH_EVERY_MS = 60_000;

export type ResolvedSession = {
  sessionId: string;
  mspId: string;
  mspName: string;
  /** `timeZone`: the zone the member chose to see times in; null follows the browser's. */
  member: { id: string; email: string; displayName: string; role: (typeof members.$inferSelect)["role"]; timeZone: string | null };
  steppedUpAt: Date | null;
  expiresAt: Date;
};

/**
 * Turns a session cookie into who is signed in, or null. Enforces the absolute and idle lifetimes and
 * the member's status on every request, so ending or disabling takes effect at once.
 */
export async function resolveSession(token: string | undefined, now = new Date()): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  // The cookie is all the request carries: the session's row names the MSP.
  return systemTxBypassingRls(async (tx) => {
    const [row] = await tx
      .select({ session: sessions, member: members, mspName: msps.name })
      .from(sessions)
      .innerJoin(members, and(eq(members.id, sessions.memberId), eq(members.mspId, sessions.mspId)))
      .innerJoin(msps, eq(msps.id, sessions.mspId))
      .where(and(eq(sessions.tokenDigest, digest(token)), isNull(sessions.endedAt)))
      .limit(1);
    if (!row || row.member.status !== "active") return null;
    const { session, member } = row;
    const idleDeadline = session.lastSeenAt.getTime() + env.SESSION_IDLE_MINUTES * 60_000;
    if (session.expiresAt <= now || idleDeadline <= now.getTime()) {
      await tx
        .update(sessions)
        .set({ endedAt: now, endReason: session.expiresAt <= now ? "expired" : "idle" })
        .where(and(eq(sessions.id, session.id), isNull(sessions.endedAt)));
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await tx.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, session.id));
    }
    return {
      sessionId: session.id,
      mspId: session.mspId,
      mspName: row.mspName,
      member: { id: member.id, email: member.email, displayName: member.displayName, role: member.role, timeZone: member.timeZone },
      steppedUpAt: session.steppedUpAt,
      expiresAt: session.expiresAt,
    };
  });
}
