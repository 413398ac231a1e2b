"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Button } from "@/components/ui/button";

export function PasskeyActions({ passkey, isLast }: { passkey: { id: string; name: string }; isLast: boolean }) {
  const { busy, error, run } = useConsoleAction();
  const [removing, setRemoving] = useState(false);
  const params = { passkeyId: passkey.id };
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex justify-end gap-2">
        <Button
          variant="ghost"
          size="sm"
          disabled={busy}
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
          disabled={isLast || busy}
          title={isLast ? "Your only passkey cannot be removed. Add another first." : undefined}
          onClick={() => setRemoving(true)}
        >
          Remove
        </Button>
      </div>
      <ConfirmDialog
        open={removing}
        onClose={() => setRemoving(false)}
        title={`Remove “${passkey.name}”?`}
        description="Every session signed in with it ends too, this one included if it was. Removing asks for your passkey."
        confirmLabel="Remove passkey"
        onConfirm={() => withStepUp(() => api("removePasskey", { params }))}
      />
      {error ? <p className="text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
