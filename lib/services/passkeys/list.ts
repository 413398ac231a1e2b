import { and, asc, eq } from "drizzle-orm";
import { passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requireMember, type ServiceContext } from "@/lib/services/context";

export async function listOwnPasskeys(ctx: ServiceContext) {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: passkeys.id,
        name: passkeys.name,
        backupEligible: passkeys.backupEligible,
        backedUp: passkeys.backedUp,
        transports: passkeys.transports,
        createdAt: passkeys.createdAt,
        lastUsedAt: passkeys.lastUsedAt,
      })
      .from(passkeys)
      .where(and(eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId)))
      .orderBy(asc(passkeys.createdAt)),
  );
}
