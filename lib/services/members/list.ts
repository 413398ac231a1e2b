import { and, asc, count, eq, ilike, or } from "drizzle-orm";
import { z } from "zod";
import { containsPattern } from "@/db/contains";
import { members, passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export const memberFilterInput = z.object({
  /** Text in the member's name or e-mail address. */
  q: z.string().trim().min(1).max(200).optional(),
});

export async function listMembers(ctx: ServiceContext, input: unknown = {}) {
  requirePermission(ctx, "members:read");
  const f = memberFilterInput.parse(input);
  const text = f.q ? containsPattern(f.q) : undefined;
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: members.id,
        email: members.email,
        displayName: members.displayName,
        role: members.role,
        status: members.status,
        createdAt: members.createdAt,
        passkeyCount: count(passkeys.id),
      })
      .from(members)
      .leftJoin(passkeys, and(eq(passkeys.memberId, members.id), eq(passkeys.mspId, members.mspId)))
      .where(and(eq(members.mspId, ctx.mspId), text ? or(ilike(members.displayName, text), ilike(members.email, text)) : undefined))
      .groupBy(members.id)
      .orderBy(asc(members.displayName)),
  );
}
