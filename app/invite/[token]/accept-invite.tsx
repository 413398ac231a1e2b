"use client";

import { useState } from "react";
import { registerPasskey } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function AcceptInvite({ token }: { token: string }) {
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
            const base = `/api/invites/${encodeURIComponent(token)}`;
            const result = await registerPasskey<{ redirectTo: string }>(`${base}/options`, `${base}/verify`);
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
  );
}
