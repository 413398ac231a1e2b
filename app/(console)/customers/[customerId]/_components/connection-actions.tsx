"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Connect and Reconnect send the admin to Microsoft's consent page; they come back to this page. */
export function ConnectionActions({ customerId, customerName, connected }: { customerId: string; customerName: string; connected: boolean }) {
  const [busy, setBusy] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function startConsent() {
    setBusy(true);
    setError(null);
    try {
      const { redirectUrl } = await api("startCustomerConnection", { params: { customerId } });
      window.location.assign(redirectUrl);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not start the connection.");
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap gap-2">
        <Button variant={connected ? "outline" : "default"} disabled={busy} onClick={startConsent}>
          {connected ? "Reconnect" : "Connect Entra ID"}
        </Button>
        {connected ? (
          <Button variant="destructive" disabled={busy} onClick={() => setDisconnecting(true)}>
            Disconnect
          </Button>
        ) : null}
      </div>
      <ConfirmDialog
        open={disconnecting}
        onClose={() => setDisconnecting(false)}
        title={`Disconnect ${customerName}'s Entra ID?`}
        description="Live access there is taken away first, and technicians can no longer get access there until it is connected again."
        confirmLabel="Disconnect"
        onConfirm={() => api("disconnectCustomer", { params: { customerId } })}
      />
      {error ? <Alert variant="error">{error}</Alert> : null}
    </div>
  );
}
