"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";

/**
 * The console's one way to act: make the call, then read the page's data again; a refusal is kept to be
 * shown beside the control. `run` answers whether the call went through.
 */
export function useConsoleAction(fallback = "That did not work.") {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (call: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        await call();
        router.refresh();
        return true;
      } catch (err) {
        setError(err instanceof Error ? err.message : fallback);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [router, fallback],
  );
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
