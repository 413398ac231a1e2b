import { and, desc, eq, gt, sql } from "drizzle-orm";
import { auditEvents, passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { describeUserAgent } from "@/lib/http/user-agent";
import { requireMember, type ServiceContext } from "@/lib/services/context";

/** How long the account page tells a member about a passkey added to their account. */
export const PASSKEY_NOTICE_DAYS = 14;

/**
 * Passkeys added to the member's account from the console in the last PASSKEY_NOTICE_DAYS days, with
 * when, from which address and browser (from the passkey's alert audit event). The notice has no
 * "dismiss": whoever planted a passkey holds a session and could dismiss it; it goes away with time, or
 * when the passkey is removed. Passkeys enrolled by joining or recovery are not listed.
 */
export async function listRecentPasskeyAdditions(ctx: ServiceContext, now = new Date()) {
  const me = requireMember(ctx);
  const rows = await withMspTx(ctx.mspId, (tx) =>
    tx
      .select({ passkeyId: passkeys.id, name: passkeys.name, addedAt: auditEvents.occurredAt, ip: auditEvents.ip, userAgent: auditEvents.userAgent })
      .from(auditEvents)
      .innerJoin(passkeys, and(eq(passkeys.id, auditEvents.targetId), eq(passkeys.mspId, auditEvents.mspId)))
      .where(
        and(
          eq(auditEvents.mspId, ctx.mspId),
          eq(auditEvents.action, "passkey.registered"),
          eq(auditEvents.result, "success"),
          sql`${auditEvents.metadata} ->> 'alert' = 'true'`,
          eq(passkeys.memberId, me.memberId),
          gt(auditEvents.occurredAt, new Date(now.getTime() - PASSKEY_NOTICE_DAYS * 86_400_000)),
        ),
      )
      .orderBy(desc(auditEvents.occurredAt)),
  );
  return rows.map((r) => ({ ...r, browser: describeUserAgent(r.userAgent) }));
}
