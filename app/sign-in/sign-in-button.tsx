"use client";

import { Fingerprint } from "lucide-react";
import { useState } from "react";
import { api } from "@/components/api/client";
import { assertPasskey } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** `next`: a path of this site to return to (already checked by the page), else where the server says. */
export function SignInButton({ next }: { next: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="grid gap-4">
      <Button
        size="lg"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const result = await assertPasskey(() => api("startSignIn"), (assertion) => api("completeSignIn", { body: assertion }));
            window.location.assign(next ?? result.redirectTo);
          } catch (err) {
            setError(err instanceof Error ? err.message : "Sign-in failed.");
            setBusy(false);
          }
        }}
      >
        <Fingerprint className="h-5 w-5" />
        {busy ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <p className="text-xs text-muted-foreground">
        Lost your passkey? Ask an admin of your MSP to re-issue your invite link.
      </p>
    </div>
  );
}
