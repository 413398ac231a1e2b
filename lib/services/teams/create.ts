import { teams } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { isUniqueViolation } from "@/lib/services/customers/internal";
import { teamInput } from "./schemas";


export async function createTeam(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "delegations:manage");
  const { name } = teamInput.parse(input);
  try {
    return await withMspTx(ctx.mspId, async (tx) => {
      const [row] = await tx.insert(teams).values({ id: newId("team"), mspId: ctx.mspId, name }).returning();
      await recordAudit(tx, ctx, { action: "team.created", target: { type: "team", id: row!.id, label: name } });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, "teams_msp_name_uq")) throw conflict(`A team named "${name}" already exists.`);
    throw err;
  }
}
