import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { can } from "@/lib/auth/permissions";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { memberRoles } from "@/lib/vocabulary/member-roles";

const delegatingRoles = memberRoles.filter((r) => can(r, "delegations:manage"));

/**
 * The active members who may delegate access (owners and admins), by name: whom a member without
 * anything to request should ask. Any member may read it; it holds no e-mail addresses.
 */
export async function listDelegators(ctx: ServiceContext) {
  requireMember(ctx);
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({ id: members.id, displayName: members.displayName, role: members.role })
      .from(members)
      .where(and(eq(members.mspId, ctx.mspId), eq(members.status, "active"), inArray(members.role, delegatingRoles)))
      // Owners before admins.
      .orderBy(desc(members.role), asc(members.displayName)),
  );
}
