"use client";

import { useState } from "react";
import { api, type InputOf } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import type { OperationId } from "@/lib/api/operations";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "./confirm-dialog";

type Props<Id extends OperationId> = {
  /** The operation it calls, and that operation's input (params, body). */
  operation: Id;
  input: InputOf<Id>;
  label: string;
  /** The question asked in a dialog first, when given; its confirm button repeats the label. */
  confirm?: string;
  destructive?: boolean;
  /** A bordered button, for an action the row is there for (not a quiet extra). */
  outlined?: boolean;
};

/** One console action (revoke, remove, end…): a call, then the page's data again; a refusal shows beside it. */
export function ApiActionButton<Id extends OperationId>({ operation, input, label, confirm, destructive = true, outlined = false }: Props<Id>) {
  const { busy, error, run } = useConsoleAction();
  const [asking, setAsking] = useState(false);
  const call = () => (api as (id: OperationId, input: unknown) => Promise<unknown>)(operation, input);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant={outlined ? "outline" : "ghost"}
        size="sm"
        className={destructive ? "text-destructive" : undefined}
        disabled={busy}
        onClick={() => (confirm ? setAsking(true) : void run(call))}
      >
        {label}
      </Button>
      {confirm ? <ConfirmDialog open={asking} onClose={() => setAsking(false)} title={confirm} confirmLabel={label} onConfirm={call} /> : null}
      {error ? (
        <p className="max-w-56 text-xs text-destructive" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
