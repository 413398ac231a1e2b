"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useState, useTransition } from "react";
import { api } from "@/components/api/client";

/** Switches one access level on or off for this customer (what may be requested there). */
export function AccessLevelToggle({ customerId, level, enabled }: { customerId: string; level: { id: string; name: string }; enabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // What the server last confirmed: the box shows it between the save and the page's refresh, instead of
  // flicking back to the value the page was rendered with.
  const [saved, setSaved] = useState(enabled);
  const [rendered, setRendered] = useState(enabled);
  if (rendered !== enabled) {
    setRendered(enabled);
    setSaved(enabled);
  }
  const [checked, setChecked] = useOptimistic(saved);
  const [error, setError] = useState<string | null>(null);
  const id = `level-enabled-${level.id}`;

  function toggle(next: boolean) {
    setError(null);
    startTransition(async () => {
      setChecked(next);
      try {
        await api("setCustomerAccessLevel", { params: { customerId, accessLevelId: level.id }, body: { enabled: next } });
        startTransition(() => setSaved(next));
        router.refresh();
      } catch (err) {
        setError(err instanceof Error ? err.message : "That did not work.");
      }
    });
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <label htmlFor={id} className="flex items-center gap-2 text-sm">
        <input
          id={id}
          type="checkbox"
          className="h-4 w-4 accent-primary"
          checked={checked}
          disabled={pending}
          aria-label={`${level.name} enabled on this customer`}
          onChange={(e) => toggle(e.target.checked)}
        />
        {checked ? "Enabled" : "Off"}
      </label>
      {error ? <p className="text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
