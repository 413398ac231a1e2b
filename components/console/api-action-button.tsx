"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/auth/api-client";
import { Button } from "@/components/ui/button";

type Props = {
  url: string;
  method?: "POST" | "DELETE";
  label: string;
  /** Asked with window.confirm() first, when given. */
  confirm?: string;
  destructive?: boolean;
  /** A bordered button, for an action the row is there for (not a quiet extra). */
  outlined?: boolean;
};

/** One console action (revoke, remove, end…): a call, then the page's data again; a refusal shows beside it. */
export function ApiActionButton({ url, method = "POST", label, confirm, destructive = true, outlined = false }: Props) {
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
            await callApi(url, { method });
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
