import { and, eq, isNull } from "drizzle-orm";
import { invites, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { canManageRole } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { conflict, forbidden } from "@/lib/errors";
import { digest, newId, newSecret } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { createInviteInput, type CreateInviteInput } from "./schemas";

export const INVITE_TTL_MS = 72 * 3600_000;

/**
 * The secret rides in the fragment, which browsers never send to a server nor put in a Referer: it
 * stays out of access logs, proxies and the history of any page the invite page links to.
 */
export function inviteLink(token: string): string {
  return new URL(`/invite#${token}`, env.APP_URL).toString();
}

/**
 * Invites a new member. The one-time link is returned to the inviting admin to hand over and is
 * never stored (only its digest); it works once, for 72 hours. A newer invite for the same email
 * replaces the older one.
 */
export async function createInvite(ctx: ServiceContext, input: CreateInviteInput) {
  requirePermission(ctx, "members:invite");
  const me = requireMember(ctx);
  const form = createInviteInput.parse(input);
  if (!canManageRole(me.role, form.role)) throw forbidden(`You cannot invite someone as ${form.role}.`);
  // An admin or owner can hand out access to every customer: inviting one needs the inviter's passkey.
  if (form.role === "admin" || form.role === "owner") requireFreshStepUp(ctx);
  const token = newSecret();
  const invite = await withMspTx(ctx.mspId, async (tx) => {
    const [existing] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.mspId, ctx.mspId), eq(members.email, form.email)))
      .limit(1);
    if (existing) throw conflict("A member with this email already exists. Re-issue their invite from the member list instead.");
    await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.mspId, ctx.mspId), eq(invites.email, form.email), isNull(invites.usedAt), isNull(invites.revokedAt)));
    const [row] = await tx
      .insert(invites)
      .values({
        id: newId("invite"),
        mspId: ctx.mspId,
        ...form,
        tokenDigest: digest(token),
        createdBy: me.memberId,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "member.invited",
      target: { type: "invite", id: row!.id, label: form.email },
      metadata: { role: form.role },
    });
    return row!;
  });
  return { invite, link: inviteLink(token) };
}
