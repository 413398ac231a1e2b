"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { registerPasskey, withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";

export function AddPasskeyForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          // A new passkey is a new way into the account: confirm with an existing one first.
          await withStepUp(() =>
            registerPasskey(
              () => api("startAddPasskey", { body: { name: name || "Passkey" } }),
              (credential) => api("completeAddPasskey", { body: credential }),
            ),
          );
          setName("");
          router.refresh();
        } catch (err) {
          setError(err instanceof Error ? err.message : "Could not add the passkey.");
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="w-full sm:w-72">
        <Field id="passkey-name" label="New passkey name">
          <Input id="passkey-name" value={name} maxLength={60} placeholder="e.g. YubiKey 5C" onChange={(e) => setName(e.target.value)} />
        </Field>
      </div>
      <Button type="submit" variant="outline" disabled={busy}>
        {busy ? "Waiting for your passkey…" : "Add a passkey"}
      </Button>
      {error ? <Alert variant="error" className="w-full">{error}</Alert> : null}
    </form>
  );
}
