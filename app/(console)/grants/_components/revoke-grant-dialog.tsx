"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/label";
import { cn } from "@/lib/utils";

type Props = { grantId: string; memberName: string; customerName: string; outlined?: boolean };

/** Revoke with a reason: the reason is what the technician reads on their grant, so it is asked for, not optional. */
export function RevokeGrantDialog({ grantId, memberName, customerName, outlined = false }: Props) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant={outlined ? "outline" : "ghost"} size="sm" className="text-destructive" onClick={() => setAsking(true)}>
        Revoke
      </Button>
      <ConfirmDialog
        open={asking}
        onClose={() => setAsking(false)}
        data-testid="revoke-dialog"
        title={`Revoke ${memberName}'s access to ${customerName}?`}
        description={`The account loses its roles and is disabled now. ${memberName} sees your reason on the grant; it is kept in the audit log.`}
        confirmLabel="Revoke access"
        busyLabel="Revoking…"
        onConfirm={(fields) => api("revokeGrant", { params: { grantId }, body: { reason: String(fields.get("reason") ?? "") } })}
        fields={({ field }, error) => <ReasonField id={field("reason")} error={error} />}
      />
    </>
  );
}

/** The reason asked for before access is taken away; the refusal, if any, is shown under it. */
function ReasonField({ id, error }: { id: string; error: string | null }) {
  return (
    <Field id={id} label="Reason" error={error ?? undefined}>
      <textarea
        id={id}
        name="reason"
        required
        minLength={5}
        maxLength={500}
        rows={3}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        className={cn(
          "w-full rounded-md border border-border bg-background px-3 py-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/40 max-md:text-base",
          error && "border-destructive",
        )}
      />
    </Field>
  );
}
