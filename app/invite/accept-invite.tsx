"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/components/api/client";
import { registerPasskey } from "@/components/auth/passkey-ceremonies";
import { AuthShell } from "@/components/layout/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { roleLabels } from "@/lib/auth/permissions";
import type { MemberRole } from "@/lib/vocabulary/member-roles";

type Invite = { mspName: string; email: string; displayName: string; role: MemberRole; isRecovery: boolean };
type State = { kind: "loading" } | { kind: "invalid"; message: string } | { kind: "ready"; token: string; invite: Invite };

/** Kept for this tab only, so a reload after the fragment left the address bar still finds the link. */
const STORAGE_KEY = "stint:invite-token";

/**
 * The link's secret is in the URL fragment (/invite#<secret>), which never reaches a server. It is read
 * here, taken out of the address bar and the history entry, and sent only in POST bodies.
 */
function takeToken(): string | null {
  const fromHash = window.location.hash.slice(1);
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    window.history.replaceState(null, "", window.location.pathname);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

export function AcceptInvite() {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const token = takeToken();
    if (!token) {
      setState({ kind: "invalid", message: "This page needs the whole link you were given. Open it again, or ask your admin for a new one." });
      return;
    }
    api("describeInvite", { body: { token } })
      .then((invite) => setState({ kind: "ready", token, invite }))
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.code !== "internal") sessionStorage.removeItem(STORAGE_KEY);
        setState({ kind: "invalid", message: err instanceof Error ? err.message : "This invite link cannot be used." });
      });
  }, []);

  if (state.kind === "loading") {
    return (
      <AuthShell title="Opening your invite…">
        <p className="text-sm text-muted-foreground">Checking the link.</p>
      </AuthShell>
    );
  }
  if (state.kind === "invalid") {
    return (
      <AuthShell title="Invite link not valid">
        <Alert variant="error">{state.message}</Alert>
      </AuthShell>
    );
  }
  const { invite, token } = state;
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
      <div className="grid gap-4">
        <Button
          size="lg"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const result = await registerPasskey(
                () => api("startAcceptInvite", { body: { token } }),
                (credential) => api("completeAcceptInvite", { body: { token, credential } }),
              );
              sessionStorage.removeItem(STORAGE_KEY);
              window.location.assign(result.redirectTo);
            } catch (err) {
              setError(err instanceof Error ? err.message : "Could not register the passkey.");
              setBusy(false);
            }
          }}
        >
          {busy ? "Waiting for your passkey…" : "Register passkey and join"}
        </Button>
        {error ? <Alert variant="error">{error}</Alert> : null}
      </div>
    </AuthShell>
  );
}
