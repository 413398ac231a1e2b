"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { Button } from "@/components/ui/button";

/** The technician gives access back early; the expiry actions start at once. */
export function EndGrantButton({ grantId, customerName }: { grantId: string; customerName: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-1">
      <Button
        variant="destructive"
        disabled={busy}
        onClick={async () => {
          if (!window.confirm(`End your access to ${customerName} now? The account loses its roles and is disabled.`)) return;
          setBusy(true);
          setError(null);
          try {
            await api("endGrant", { params: { grantId } });
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : "Could not end the grant.");
          } finally {
            setBusy(false);
          }
        }}
      >
        End now
      </Button>
      {error ? <p className="max-w-72 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
