import { and, eq } from "drizzle-orm";
import { passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { passkeyNameInput, type PasskeyNameInput } from "./schemas";

export async function renamePasskey(ctx: ServiceContext, passkeyId: string, input: PasskeyNameInput) {
  const me = requireMember(ctx);
  const { name } = passkeyNameInput.parse(input);
  await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .update(passkeys)
      .set({ name })
      .where(and(eq(passkeys.id, passkeyId), eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId)))
      .returning({ id: passkeys.id });
    if (!row) throw notFound("Passkey");
    await recordAudit(tx, ctx, { action: "passkey.renamed", target: { type: "passkey", id: row.id, label: name } });
  });
}
