import { and, desc, eq, gt, inArray, isNull, or, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiTokens, customers, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requireMember, requirePermission, requireScope, type ServiceContext } from "@/lib/services/context";
import { tokenMaxDays } from "./insert";

/** Revoked and expired tokens stay listed this long, so their owners see what stopped working and why. */
const KEEP_LISTED_DAYS = 30;

const columns = {
  id: apiTokens.id,
  name: apiTokens.name,
  type: apiTokens.type,
  hint: apiTokens.hint,
  scopes: apiTokens.scopes,
  customerIds: apiTokens.customerIds,
  allowedCidrs: apiTokens.allowedCidrs,
  expiresAt: apiTokens.expiresAt,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  lastUsedIp: apiTokens.lastUsedIp,
  revokedAt: apiTokens.revokedAt,
  revokeReason: apiTokens.revokeReason,
  memberId: apiTokens.memberId,
  ownerName: members.displayName,
  ownerEmail: members.email,
  ownerRole: members.role,
};

export type TokenStatus = "active" | "expired" | "revoked";

function recentEnough(now: Date): SQL {
  const cutoff = new Date(now.getTime() - KEEP_LISTED_DAYS * 86_400_000);
  return and(or(isNull(apiTokens.revokedAt), gt(apiTokens.revokedAt, cutoff)), gt(apiTokens.expiresAt, cutoff))!;
}

async function query(tx: Tx, ctx: ServiceContext, where: SQL | undefined) {
  const now = new Date();
  const rows = await tx
    .select(columns)
    .from(apiTokens)
    .innerJoin(members, and(eq(members.id, apiTokens.memberId), eq(members.mspId, apiTokens.mspId)))
    .where(and(eq(apiTokens.mspId, ctx.mspId), recentEnough(now), where))
    .orderBy(desc(apiTokens.createdAt));
  const customerIds = [...new Set(rows.flatMap((r) => r.customerIds ?? []))];
  const names = customerIds.length
    ? await tx
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(and(eq(customers.mspId, ctx.mspId), inArray(customers.id, customerIds)))
    : [];
  const nameOf = new Map(names.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
    ...r,
    customers: r.customerIds?.map((id) => ({ id, name: nameOf.get(id) ?? "(deleted customer)" })) ?? null,
    status: (r.revokedAt ? "revoked" : r.expiresAt <= now ? "expired" : "active") as TokenStatus,
  }));
}

/** The acting member's tokens (live, and recently ended), and the MSP's longest allowed lifetime. */
export async function listOwnTokens(ctx: ServiceContext) {
  const me = requireMember(ctx);
  requireScope(ctx, "tokens:manage");
  return withMspTx(ctx.mspId, async (tx) => {
    return { tokens: await query(tx, ctx, eq(apiTokens.memberId, me.memberId)), maxDays: await tokenMaxDays(tx, ctx.mspId) };
  });
}

/** Every token of the MSP, with its owner (owners and admins). */
export async function listAllTokens(ctx: ServiceContext) {
  requirePermission(ctx, "tokens:manage_all");
  return withMspTx(ctx.mspId, (tx) => query(tx, ctx, undefined));
}
