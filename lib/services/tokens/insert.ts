import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiTokens, msps } from "@/db/schema";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";
import { conflict } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";
import { tokenDigest } from "@/lib/tokens/digest";
import { generateToken, tokenHint } from "@/lib/tokens/format";
import type { TokenType } from "@/lib/vocabulary/token-types";

/** Enough for every script and integration a person runs; a runaway loop hits a wall instead of the table. */
export const MAX_LIVE_TOKENS_PER_MEMBER = 50;

export type NewToken = {
  type: TokenType;
  name: string;
  scopes: TokenScope[];
  customerIds: string[] | null;
  allowedCidrs: string[] | null;
  expiresAt: Date;
};

/** The MSP's longest allowed token lifetime, in days. */
export async function tokenMaxDays(tx: Tx, mspId: string): Promise<number> {
  const [msp] = await tx.select({ maxDays: msps.tokenMaxDays }).from(msps).where(eq(msps.id, mspId));
  return msp?.maxDays ?? 90;
}

/** 409 when the member already has the most live tokens allowed. */
export async function assertTokenRoom(tx: Tx, mspId: string, memberId: string, now = new Date()): Promise<void> {
  const [live] = await tx
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.mspId, mspId), eq(apiTokens.memberId, memberId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  if ((live?.n ?? 0) >= MAX_LIVE_TOKENS_PER_MEMBER) {
    throw conflict(`You already have ${MAX_LIVE_TOKENS_PER_MEMBER} live tokens. Revoke some first.`);
  }
}

/**
 * Issues a token to `memberId` in the caller's transaction: the live-token ceiling, the row (keyed digest
 * and hint only) and its `token.created` event commit together. The caller has decided who may create it
 * and checked the lifetime; the token itself is returned here, once.
 */
export async function insertToken(tx: Tx, ctx: ServiceContext, memberId: string, spec: NewToken, auditMetadata: Record<string, unknown> = {}) {
  await assertTokenRoom(tx, ctx.mspId, memberId);
  const token = generateToken(spec.type);
  const row = { id: newId("apiToken"), mspId: ctx.mspId, memberId, ...spec, tokenDigest: tokenDigest(token), hint: tokenHint(token), createdIp: ctx.request.ip };
  await tx.insert(apiTokens).values(row);
  await recordAudit(tx, ctx, {
    action: "token.created",
    target: { type: "token", id: row.id, label: row.name },
    metadata: {
      type: spec.type,
      hint: row.hint,
      scopes: spec.scopes,
      customers: spec.customerIds,
      allowedCidrs: spec.allowedCidrs,
      expiresAt: spec.expiresAt.toISOString(),
      ...auditMetadata,
    },
  });
  /** `token` is the token itself: shown once, never again. */
  return { token, id: row.id, hint: row.hint, ...spec };
}
