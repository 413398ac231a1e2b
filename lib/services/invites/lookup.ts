import { and, eq } from "drizzle-orm";
import { invites, msps, type Invite } from "@/db/schema";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { digest } from "@/lib/ids";
import { recheckInvite } from "./recheck";

export const inviteUnusable = () =>
  new AppError("gone", "This invite link has expired or was already used. Ask your admin for a new one.");

/** Finds the invite behind a link; anything but a live, unused invite is the same "gone". */
export async function findUsableInvite(token: string): Promise<{ invite: Invite; mspName: string }> {
  if (!token || token.length > 100) throw inviteUnusable();
  // The link is all the invitee has: the invite's row names the MSP.
  const [row] = await systemTxBypassingRls((tx) =>
    tx
      .select({ invite: invites, mspName: msps.name })
      .from(invites)
      .innerJoin(msps, eq(msps.id, invites.mspId))
      .where(and(eq(invites.tokenDigest, digest(token))))
      .limit(1),
  );
  if (!row || row.invite.usedAt || row.invite.revokedAt || row.invite.expiresAt.getTime() <= Date.now()) {
    throw inviteUnusable();
  }
  return row;
}

/** What the invite page shows before the invitee registers a passkey; a stale link is refused already here. */
export async function describeInvite(token: string) {
  const { invite, mspName } = await findUsableInvite(token);
  await withMspTx(invite.mspId, (tx) => recheckInvite(tx, invite));
  return {
    mspName,
    email: invite.email,
    displayName: invite.displayName,
    role: invite.role,
    isRecovery: invite.memberId !== null,
    expiresAt: invite.expiresAt,
  };
}
