import { and, isNotNull, lt, or } from "drizzle-orm";
import { invites, sessions } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { deleteExpiredChallenges } from "@/lib/services/webauthn/challenges";

const KEEP_ENDED_DAYS = 30;

/** Deletes expired challenges, long-ended sessions and long-expired invites (job session.cleanup). */
export async function cleanupExpired(now = new Date()) {
  const cutoff = new Date(now.getTime() - KEEP_ENDED_DAYS * 86_400_000);
  const challenges = await deleteExpiredChallenges(now);
  const { endedSessions, staleInvites } = await withSystemTx(async (tx) => {
    const s = await tx
      .delete(sessions)
      .where(or(lt(sessions.expiresAt, cutoff), and(isNotNull(sessions.endedAt), lt(sessions.endedAt, cutoff))))
      .returning({ id: sessions.id });
    const i = await tx.delete(invites).where(lt(invites.expiresAt, cutoff)).returning({ id: invites.id });
    return { endedSessions: s.length, staleInvites: i.length };
  });
  return { challenges, endedSessions, staleInvites };
}
