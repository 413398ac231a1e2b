"use client";

import { Puzzle } from "lucide-react";
import { useState, type ReactNode } from "react";
import { api, type OutputOf } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";

/** What the lookup answers about a waiting extension. */
type PendingPairing = OutputOf<"lookupExtensionPairing">;


function messageOf(err: unknown, fallback: string): string {
  return err instanceof Error ? err.message : fallback;
}

function CodeForm({ onFound }: { onFound: (p: PendingPairing) => void }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="grid max-w-sm gap-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          onFound(await api("lookupExtensionPairing", { body: { userCode: code } }));
        } catch (err) {
          setError(messageOf(err, "Could not look up the code."));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field
        id="pairing-code"
        label="Code shown by the extension"
        error={error ?? undefined}
        hint="Type the 8 letters your extension shows, like BCDF-GHJK. Case and the dash do not matter. Never use a code someone sent you."
      >
        <Input
          id="pairing-code"
          value={code}
          required
          maxLength={20}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          className="font-mono uppercase tracking-widest"
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <div>
        <Button type="submit" disabled={busy || code.trim() === ""}>
          {busy ? "Looking it up…" : "Continue"}
        </Button>
      </div>
    </form>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-x-2 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Approve (with a passkey check made for it, as creating a token needs) or deny one waiting extension. */
function PendingRequest({ pairing, onAnswered }: { pairing: PendingPairing; onAnswered: (answer: "approved" | "denied") => void }) {
  const [busy, setBusy] = useState<"approve" | "deny" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const answer = async (verb: "approve" | "deny") => {
    setBusy(verb);
    setError(null);
    try {
      const params = { pairingId: pairing.id };
      await (verb === "approve" ? withStepUp(() => api("approveExtensionPairing", { params })) : api("denyExtensionPairing", { params }));
      onAnswered(verb === "approve" ? "approved" : "denied");
    } catch (err) {
      setError(messageOf(err, "That did not work."));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="grid gap-4" data-testid="pending-pairing">
      <dl className="grid gap-2">
        <Fact label="Code">
          <code className="font-mono tracking-widest">{pairing.userCode}</code>
        </Fact>
        <Fact label="Extension">{pairing.deviceLabel ?? "(no name given)"}</Fact>
        <Fact label="Browser">
          <span title={pairing.userAgent ?? undefined}>{pairing.browser}</span>
        </Fact>
        <Fact label="Asked from">
          <span data-testid="pairing-requested-from">{pairing.requestedFrom ?? "Unknown address"}</span>
        </Fact>
        <Fact label="Your address now">{pairing.yourAddress ?? "Unknown address"}</Fact>
        <Fact label="Asked at"><Time at={pairing.createdAt} /></Fact>
        <Fact label="Expires"><Time at={pairing.expiresAt} /></Fact>
      </dl>
      {pairing.requestedFrom !== pairing.yourAddress ? (
        <Alert variant="warning" data-testid="pairing-address-differs">
          The extension asked from another address than yours. That is expected only if it runs on another network or behind another
          proxy than this browser.
        </Alert>
      ) : null}
      <Alert variant="warning">
        Approve only a code that your own extension is showing you right now. Anyone who talked you into entering a code they sent
        you would get access to your grants and their sign-ins.
      </Alert>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <div className="flex gap-2">
        <Button disabled={busy !== null} onClick={() => answer("approve")}>
          {busy === "approve" ? "Waiting for your passkey…" : "Approve"}
        </Button>
        <Button variant="outline" className="text-destructive" disabled={busy !== null} onClick={() => answer("deny")}>
          {busy === "deny" ? "Denying…" : "Deny"}
        </Button>
      </div>
    </div>
  );
}

export function ConnectExtension() {
  const [pairing, setPairing] = useState<PendingPairing | null>(null);
  const [answered, setAnswered] = useState<"approved" | "denied" | null>(null);
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Puzzle className="h-5 w-5" /> Browser extension
        </CardTitle>
        <CardDescription>
          The extension gets its own access token: it can list your grants and sign in with them, never more than your role allows. It
          appears under Access tokens on your account page, where you can revoke it.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {answered === "approved" ? (
          <Alert variant="success" data-testid="pairing-approved">Connected — return to the extension.</Alert>
        ) : answered === "denied" ? (
          <Alert variant="info" data-testid="pairing-denied">Denied. That extension was not connected.</Alert>
        ) : pairing ? (
          <PendingRequest pairing={pairing} onAnswered={setAnswered} />
        ) : (
          <CodeForm onFound={setPairing} />
        )}
      </CardContent>
    </Card>
  );
}

