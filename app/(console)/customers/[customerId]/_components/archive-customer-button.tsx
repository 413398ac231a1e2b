"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { Button } from "@/components/ui/button";

/** Archiving keeps the customer in the audit trail but stops new requests; restoring undoes it. */
export function ArchiveCustomerButton({ customerId, name, archived }: { customerId: string; name: string; archived: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant={archived ? "outline" : "destructive"}
        disabled={busy}
        onClick={async () => {
          if (!archived && !window.confirm(`Archive ${name}? Technicians can no longer request access there.`)) return;
          setBusy(true);
          setError(null);
          try {
            await api("archiveCustomer", { params: { customerId }, body: { archived: !archived } });
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : "That did not work.");
          } finally {
            setBusy(false);
          }
        }}
      >
        {archived ? "Restore" : "Archive"}
      </Button>
      {error ? <p className="max-w-80 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
