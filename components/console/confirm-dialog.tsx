"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { useConsoleAction } from "@/components/api/use-console-action";
import { Button } from "@/components/ui/button";

type Props = {
  open: boolean;
  /** Called when the dialog closes, whether cancelled, escaped or done. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  /** The call made on confirm, given the dialog's fields; on success the dialog closes and the page reloads its data. */
  onConfirm: (fields: FormData) => Promise<unknown>;
  /** Fields asked for in the dialog (a reason), given the refusal to show beside them; without, it shows above the buttons. */
  fields?: (ids: { field: (name: string) => string }, error: string | null) => ReactNode;
  "data-testid"?: string;
};

/**
 * Asks before a consequential act, in the browser's own modal <dialog> (focus moves in and stays, Escape
 * closes it), and makes the call from there, so a refusal is read where the question was asked.
 */
export function ConfirmDialog({ open, onClose, title, description, confirmLabel, busyLabel, onConfirm, fields, "data-testid": testId }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const { busy, error, run, clearError } = useConsoleAction();
  useEffect(() => {
    const d = dialog.current;
    if (open && !d?.open) d?.showModal();
    if (!open && d?.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-border bg-background p-0 text-left text-foreground shadow-lg backdrop:bg-black/40"
      data-testid={testId}
      onClose={() => {
        clearError();
        onClose();
      }}
    >
      {open ? (
        <form
          className="grid gap-4 p-5"
          onSubmit={async (e) => {
            e.preventDefault();
            const values = new FormData(e.currentTarget);
            if (await run(() => onConfirm(values))) dialog.current?.close();
          }}
        >
          <div className="grid gap-1">
            <h2 id={`${id}-title`} className="text-base font-semibold">
              {title}
            </h2>
            {description ? (
              <div id={`${id}-description`} className="text-sm text-muted-foreground">
                {description}
              </div>
            ) : null}
          </div>
          {fields ? fields({ field: (name) => `${id}-${name}` }, error) : null}
          {error && !fields ? (
            <p role="alert" className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="outline" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={busy}>
              {busy ? (busyLabel ?? `${confirmLabel}…`) : confirmLabel}
            </Button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
