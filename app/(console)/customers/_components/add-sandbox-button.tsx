"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { Button } from "@/components/ui/button";

/** Creates the customer backed by the emulated tenant, for trying Stint without a Microsoft tenant. */
export function AddSandboxButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="outline"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const created = await api("addSandboxCustomer");
            router.push(`/customers/${created.id}`);
          } catch (err) {
            setError(err instanceof Error ? err.message : "Could not add the sandbox customer.");
            setBusy(false);
          }
        }}
      >
        Add sandbox customer
      </Button>
      {error ? <p className="max-w-80 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
