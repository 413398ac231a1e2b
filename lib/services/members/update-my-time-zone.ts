import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { knownTimeZone } from "@/lib/time-zones";
import { timeZoneSettingInput } from "./schemas";

/** Sets the zone the acting member sees times in; null goes back to the browser's. Stored by its listed name. */
export async function updateMyTimeZone(ctx: ServiceContext, input: z.input<typeof timeZoneSettingInput>) {
  const me = requireMember(ctx);
  const parsed = timeZoneSettingInput.parse(input);
  const timeZone = parsed.timeZone === null ? null : knownTimeZone(parsed.timeZone);
  await withMspTx(ctx.mspId, async (tx) => {
    const [before] = await tx
      .select({ timeZone: members.timeZone, email: members.email })
      .from(members)
      .where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId)))
      .for("update");
    if (!before) throw notFound("Member");
    if (before.timeZone === timeZone) return;
    await tx.update(members).set({ timeZone, updatedAt: new Date() }).where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, {
      action: "member.time_zone_changed",
      target: { type: "member", id: me.memberId, label: before.email },
      metadata: { from: before.timeZone, to: timeZone },
    });
  });
  return { timeZone };
}
