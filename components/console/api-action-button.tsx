"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, type InputOf } from "@/components/api/client";
import type { OperationId } from "@/lib/api/operations";
import { Button } from "@/components/ui/button";

type Props<Id extends OperationId> = {
  /** The operation it calls, and that operation's input (params, body). */
  operation: Id;
  input: InputOf<Id>;
  label: string;
  /** Asked with window.confirm() first, when given. */
  confirm?: string;
  destructive?: boolean;
  /** A bordered button, for an action the row is there for (not a quiet extra). */
  outlined?: boolean;
};

/** One console action (revoke, remove, end…): a call, then the page's data again; a refusal shows beside it. */
export function ApiActionButton<Id extends OperationId>({ operation, input, label, confirm, destructive = true, outlined = false }: Props<Id>) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant={outlined ? "outline" : "ghost"}
        size="sm"
        className={destructive ? "text-destructive" : undefined}
        disabled={busy}
        onClick={async () => {
          if (confirm && !window.confirm(confirm)) return;
          setBusy(true);
          setError(null);
          try {
            await (api as (id: OperationId, input: unknown) => Promise<unknown>)(operation, input);
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : "That did not work.");
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </Button>
      {error ? (
        <p className="max-w-56 text-xs text-destructive" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
