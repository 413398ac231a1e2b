import { and, isNotNull, lt, or } from "drizzle-orm";
import { acceptedTickets, extensionPairings, invites, sessions } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { deleteExpiredChallenges } from "@/lib/services/webauthn/challenges";

const KEEP_ENDED_DAYS = 30;
/** Accepted launch tickets are kept this long past their expiry (after which the signature check refuses them anyway). */
const KEEP_ACCEPTED_TICKETS_MS = 10 * 60_000;

/**
 * Deletes expired challenges, long-ended sessions, long-expired invites, old accepted launch tickets and
 * expired extension pairings (job session.cleanup). A pairing is useless once expired, whatever its
 * status: its answers and its token are in the audit log and the token list.
 */
export async function cleanupExpired(now = new Date()) {
  const cutoff = new Date(now.getTime() - KEEP_ENDED_DAYS * 86_400_000);
  const challenges = await deleteExpiredChallenges(now);
  // Clean-up deletes the expired rows of every MSP, and pairings that never had one.
  const { endedSessions, staleInvites, acceptedTickets: tickets, extensionPairings: pairings } = await systemTxBypassingRls(async (tx) => {
    const s = await tx
      .delete(sessions)
      .where(or(lt(sessions.expiresAt, cutoff), and(isNotNull(sessions.endedAt), lt(sessions.endedAt, cutoff))))
      .returning({ id: sessions.id });
    const i = await tx.delete(invites).where(lt(invites.expiresAt, cutoff)).returning({ id: invites.id });
    const t = await tx.delete(acceptedTickets).where(lt(acceptedTickets.expiresAt, new Date(now.getTime() - KEEP_ACCEPTED_TICKETS_MS))).returning({ jti: acceptedTickets.jti });
    const p = await tx.delete(extensionPairings).where(lt(extensionPairings.expiresAt, now)).returning({ id: extensionPairings.id });
    return { endedSessions: s.length, staleInvites: i.length, acceptedTickets: t.length, extensionPairings: p.length };
  });
  return { challenges, endedSessions, staleInvites, acceptedTickets: tickets, extensionPairings: pairings };
}
