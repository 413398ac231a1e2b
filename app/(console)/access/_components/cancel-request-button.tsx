"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { Button } from "@/components/ui/button";

/** The technician withdraws a request that still waits for approval. */
export function CancelRequestButton({ grantId }: { grantId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-1">
      <Button
        variant="outline"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await api("cancelGrantRequest", { params: { grantId } });
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : "Could not cancel the request.");
          } finally {
            setBusy(false);
          }
        }}
      >
        Cancel request
      </Button>
      {error ? <p className="max-w-72 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
