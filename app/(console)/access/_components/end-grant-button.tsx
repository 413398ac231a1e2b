"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Button } from "@/components/ui/button";

/** The technician gives access back early; the expiry actions start at once. */
export function EndGrantButton({ grantId, customerName }: { grantId: string; customerName: string }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant="destructive" onClick={() => setAsking(true)}>
        End now
      </Button>
      <ConfirmDialog
        open={asking}
        onClose={() => setAsking(false)}
        data-testid="end-grant-dialog"
        title={`End your access to ${customerName} now?`}
        description="The account loses its roles and is disabled. To work there again, request access anew."
        confirmLabel="End access"
        busyLabel="Ending…"
        onConfirm={() => api("endGrant", { params: { grantId } })}
      />
    </>
  );
}
