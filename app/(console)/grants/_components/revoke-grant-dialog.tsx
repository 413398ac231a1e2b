"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { api } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/label";
import { cn } from "@/lib/utils";

type Props = { grantId: string; memberName: string; customerName: string; outlined?: boolean };

/**
 * Revoke with a reason, in a modal dialog (the browser's own <dialog>: focus moves in and stays, Escape
 * closes it). The reason is what the technician reads on their grant, so it is asked for, not optional.
 */
export function RevokeGrantDialog({ grantId, memberName, customerName, outlined = false }: Props) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    dialog.current?.close();
    setError(null);
  };
  return (
    <>
      <Button variant={outlined ? "outline" : "ghost"} size="sm" className="text-destructive" onClick={() => dialog.current?.showModal()}>
        Revoke
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-border bg-background p-0 text-left text-foreground shadow-lg backdrop:bg-black/40"
        data-testid="revoke-dialog"
        onClose={() => setError(null)}
      >
        <form
          className="grid gap-4 p-5"
          onSubmit={async (e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
            setBusy(true);
            setError(null);
            try {
              await api("revokeGrant", { params: { grantId }, body: { reason } });
              dialog.current?.close();
              router.refresh();
            } catch (err) {
              setError(err instanceof Error ? err.message : "That did not work.");
            } finally {
              setBusy(false);
            }
          }}
        >
          <div className="grid gap-1">
            <h2 id={`${id}-title`} className="text-base font-semibold">
              Revoke {memberName}&apos;s access to {customerName}?
            </h2>
            <p id={`${id}-description`} className="text-sm text-muted-foreground">
              The account loses its roles and is disabled now. {memberName} sees your reason on the grant; it is kept in the audit log.
            </p>
          </div>
          <Field id={`${id}-reason`} label="Reason" error={error ?? undefined}>
            <textarea
              id={`${id}-reason`}
              name="reason"
              required
              minLength={5}
              maxLength={500}
              rows={3}
              aria-invalid={!!error}
              aria-describedby={error ? `${id}-reason-error` : undefined}
              className={cn(
                "w-full rounded-md border border-border bg-background px-3 py-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/40 max-md:text-base",
                error && "border-destructive",
              )}
            />
          </Field>
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="outline" onClick={close}>Cancel</Button>
            <Button type="submit" variant="destructive" disabled={busy}>{busy ? "Revoking…" : "Revoke access"}</Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
