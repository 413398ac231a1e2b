"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/auth/api-client";
import { Button } from "@/components/ui/button";

/** An admin ends someone's grant early; the expiry actions start at once. */
export function RevokeButton({ grantId, description }: { grantId: string; description: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        className="text-destructive"
        disabled={busy}
        onClick={async () => {
          if (!window.confirm(`Revoke ${description}? The account loses its roles and is disabled now.`)) return;
          setBusy(true);
          setError(null);
          try {
            await callApi(`/api/grants/${grantId}/revoke`);
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : "Could not revoke the grant.");
          } finally {
            setBusy(false);
          }
        }}
      >
        Revoke
      </Button>
      {error ? <p className="max-w-56 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
