"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Button } from "@/components/ui/button";

export function PasskeyActions({ passkey, isLast }: { passkey: { id: string; name: string }; isLast: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const params = { passkeyId: passkey.id };
  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : "That did not work.");
    }
  }
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex justify-end gap-2">
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            const name = window.prompt("New name for this passkey", passkey.name);
            if (name) void run(() => api("renamePasskey", { params, body: { name } }));
          }}
        >
          Rename
        </Button>
        <Button
          variant="ghost"
          size="sm"
          className="text-destructive"
          disabled={isLast}
          title={isLast ? "Your only passkey cannot be removed. Add another first." : undefined}
          onClick={() => {
            if (window.confirm(`Remove “${passkey.name}”? Every session signed in with it ends too, this one included if it was.`)) {
              void run(() => withStepUp(() => api("removePasskey", { params })));
            }
          }}
        >
          Remove
        </Button>
      </div>
      {error ? <p className="text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
