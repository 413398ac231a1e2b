import type { Metadata } from "next";
import { AuthShell } from "@/components/layout/auth-shell";
import { Alert } from "@/components/ui/alert";
import { AppError } from "@/lib/errors";
import { roleLabels } from "@/lib/auth/permissions";
import { describeInvite } from "@/lib/services/invites/lookup";
import { AcceptInvite } from "./accept-invite";

export const metadata: Metadata = { title: "Join" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await describeInvite(token).catch((err) => {
    if (err instanceof AppError) return { error: err.message };
    throw err;
  });
  if ("error" in invite) {
    return (
      <AuthShell title="Invite link not valid">
        <Alert variant="error">{invite.error}</Alert>
      </AuthShell>
    );
  }
  return (
    <AuthShell
      title={invite.isRecovery ? `Recover your access to ${invite.mspName}` : `Join ${invite.mspName}`}
      subtitle={
        invite.isRecovery
          ? "Register a new passkey. Your old passkeys will be removed and your other sessions ended."
          : `You were invited as ${roleLabels[invite.role]}. Register a passkey to finish.`
      }
    >
      <dl className="mb-5 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">Name</dt>
        <dd>{invite.displayName}</dd>
        <dt className="text-muted-foreground">Email</dt>
        <dd>{invite.email}</dd>
        <dt className="text-muted-foreground">Role</dt>
        <dd>{roleLabels[invite.role]}</dd>
      </dl>
      <AcceptInvite token={token} />
    </AuthShell>
  );
}
