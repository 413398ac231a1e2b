import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { sessions } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requireMember, type ServiceContext } from "@/lib/services/context";

/** The signed-in member's open sessions, newest first. */
export async function listOwnSessions(ctx: ServiceContext) {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: sessions.id,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .where(
        and(
          eq(sessions.mspId, ctx.mspId),
          eq(sessions.memberId, me.memberId),
          isNull(sessions.endedAt),
          gt(sessions.expiresAt, new Date()),
        ),
      )
      .orderBy(desc(sessions.lastSeenAt)),
  );
}
