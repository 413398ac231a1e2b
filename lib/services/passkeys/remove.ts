import { and, count, eq, sql } from "drizzle-orm";
import { members, passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, type ServiceContext } from "@/lib/services/context";

/** Removes one of the member's own passkeys, never the last one (needs a fresh step-up). */
export async function removePasskey(ctx: ServiceContext, passkeyId: string) {
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  await withMspTx(ctx.mspId, async (tx) => {
    // Lock the member row so two concurrent removals cannot both pass the "not the last one" check.
    await tx.select({ id: members.id }).from(members).where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId))).for("update");
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(passkeys)
      .where(and(eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId)));
    const [row] = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, passkeyId), eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId), sql`${n} > 1`))
      .returning({ id: passkeys.id, name: passkeys.name });
    if (!row) {
      if (n <= 1) throw conflict("This is your only passkey. Add another one before removing it.");
      throw notFound("Passkey");
    }
    await recordAudit(tx, ctx, { action: "passkey.removed", target: { type: "passkey", id: row.id, label: row.name } });
  });
}
