"use client";

import { Eye, EyeOff } from "lucide-react";
import { useEffect, useState } from "react";
import { api, type OutputOf } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { CopyButton } from "@/components/console/copy-button";
import { Time } from "@/components/time/time";

type Credential = OutputOf<"revealCredential">;

const HIDE_AFTER_MS = 60_000;

function CredentialField({ id, label, value, secret }: { id: string; label: string; value: string; secret?: boolean }) {
  return (
    <div className="grid gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">{label}</Label>
      <div className="flex gap-2">
        <Input id={id} readOnly value={value} className="min-w-0 font-mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={value} label={label} secret={secret} />
      </div>
    </div>
  );
}

/**
 * Every reveal asks for a fresh passkey check (the server uses it up) and is audited; the secret hides
 * itself after a minute. A pass grant shows its Temporary Access Pass, which Microsoft's sign-in page asks
 * for after the account name and which satisfies the MFA of Microsoft's admin portals.
 */
export function RevealCredential({ grantId }: { grantId: string }) {
  const [credential, setCredential] = useState<Credential | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!credential) return;
    const timer = setTimeout(() => setCredential(null), HIDE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [credential]);

  if (credential) {
    return (
      <div className="grid w-full gap-2 rounded-md border border-amber-200 bg-amber-50/60 p-3 dark:border-amber-900 dark:bg-amber-950/40" data-testid="credential">
        <CredentialField id={`upn-${grantId}`} label="User principal name" value={credential.userPrincipalName} />
        {credential.temporaryAccessPass ? (
          <>
            <CredentialField id={`tap-${grantId}`} label="Temporary Access Pass" value={credential.temporaryAccessPass} secret />
            <p className="text-xs text-muted-foreground" data-testid="tap-note">
              Microsoft asks for it after the account name (&ldquo;Enter Temporary Access Pass&rdquo;); it counts as MFA.
              {credential.temporaryAccessPassExpiresAt ? <> Valid until <Time at={credential.temporaryAccessPassExpiresAt} />.</> : null}
            </p>
          </>
        ) : null}
        {credential.password ? <CredentialField id={`password-${grantId}`} label="Password" value={credential.password} secret /> : null}
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs text-muted-foreground">Hidden again after a minute. A copied secret is cleared from the clipboard after 30 s.</p>
          <Button variant="ghost" size="sm" onClick={() => setCredential(null)}>
            <EyeOff className="h-3.5 w-3.5" /> Hide
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      <Button
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            setCredential(await withStepUp(() => api("revealCredential", { params: { grantId } })));
          } catch (err) {
            setError(err instanceof Error ? err.message : "Could not reveal the credential.");
          } finally {
            setBusy(false);
          }
        }}
      >
        <Eye className="h-4 w-4" />
        {busy ? "Waiting for your passkey…" : "Reveal credential"}
      </Button>
      {error ? <p className="max-w-80 text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
