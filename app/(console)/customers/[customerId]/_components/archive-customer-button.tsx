"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Button } from "@/components/ui/button";

/** Archiving keeps the customer in the audit trail but stops new requests (asked first); restoring undoes it. */
export function ArchiveCustomerButton({ customerId, name, archived }: { customerId: string; name: string; archived: boolean }) {
  const { busy, error, run } = useConsoleAction();
  const [asking, setAsking] = useState(false);
  const setArchived = (value: boolean) => api("archiveCustomer", { params: { customerId }, body: { archived: value } });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant={archived ? "outline" : "destructive"} disabled={busy} onClick={() => (archived ? void run(() => setArchived(false)) : setAsking(true))}>
        {archived ? "Restore" : "Archive"}
      </Button>
      <ConfirmDialog
        open={asking}
        onClose={() => setAsking(false)}
        title={`Archive ${name}?`}
        description="Technicians can no longer request access there."
        confirmLabel="Archive"
        onConfirm={() => setArchived(true)}
      />
      {error ? <p className="max-w-80 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
