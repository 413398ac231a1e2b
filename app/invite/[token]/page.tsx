import type { Metadata } from "next";
import { AuthShell } from "@/components/layout/auth-shell";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Join", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * Links of the old form (/invite/<secret>) put the secret in the path, where logs and Referer headers
 * keep it. They are not looked up any more: the page only asks for a new link.
 */
export default function OldInviteLinkPage() {
  return (
    <AuthShell title="Invite link not valid">
      <Alert variant="error">This invite link is of an older kind that no longer works. Ask your admin for a new link.</Alert>
    </AuthShell>
  );
}
