import type { ReactNode } from "react";
import { Time } from "@/components/time/time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConnectionHealth, ConnectionStatusBadge, type ConnectionSummary } from "../../_components/connection-status";
import { ConnectionActions } from "./connection-actions";

type ConnectionDetails = ConnectionSummary & {
  tenantId: string;
  tenantName: string;
  verifiedDomains: string[];
  defaultDomain: string | null;
  connectedAt: Date;
  disconnectedAt: Date | null;
};

type Props = {
  customer: { id: string; name: string; archived: boolean };
  connection: ConnectionDetails | null;
  mayManage: boolean;
  /** False when Stint has no app registration for this kind of tenant (or the sandbox emulator is not running). */
  connectable: boolean;
};


function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_1fr]">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

export function ConnectionCard({ customer, connection, mayManage, connectable }: Props) {
  const connected = connection?.status === "connected";
  const disconnecting = connected && connection.disconnectRequestedAt !== null;
  return (
    <Card data-testid="connection-card">
      <CardHeader>
        <div className="flex items-center gap-2">
          <CardTitle>Entra ID connection</CardTitle>
          <ConnectionStatusBadge connection={connection} />
        </div>
        <CardDescription>
          {disconnecting
            ? "Disconnecting: Stint is taking away the access its live grants hold here first, and disconnects when the last one has ended. No new access is granted."
            : connected
            ? "Stint creates JIT accounts in this tenant with the permissions its admin granted."
            : "Connect to let Stint create JIT accounts here: a Global Administrator of the customer's tenant signs in and grants Stint's permissions."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {connection ? (
          <dl className="grid gap-2">
            <Row label="Tenant">
              <span className="font-medium">{connection.tenantName}</span> <span className="font-mono text-xs text-muted-foreground">{connection.tenantId}</span>
            </Row>
            <Row label="Verified domains">
              <span className="flex flex-wrap gap-1.5">
                {connection.verifiedDomains.length === 0 ? <span className="text-muted-foreground">None reported</span> : null}
                {connection.verifiedDomains.map((d) => (
                  <Badge key={d} variant="muted" className="font-mono">
                    {d}
                    {d === connection.defaultDomain ? " (default)" : ""}
                  </Badge>
                ))}
              </span>
            </Row>
            {connected ? (
              <Row label="Health">
                <ConnectionHealth connection={connection} />
              </Row>
            ) : null}
            {disconnecting ? <Row label="Disconnect requested"><Time at={connection.disconnectRequestedAt} style="minute" /></Row> : null}
            {connection.status === "disconnected" && connection.disconnectedAt ? (
              <Row label="Disconnected"><Time at={connection.disconnectedAt} style="minute" /></Row>
            ) : (
              <Row label="Connected"><Time at={connection.connectedAt} style="minute" /></Row>
            )}
          </dl>
        ) : null}
        {mayManage && !customer.archived && connectable && !disconnecting ? <ConnectionActions customerId={customer.id} customerName={customer.name} connected={connected} /> : null}
        {mayManage && !customer.archived && !connectable ? (
          <p className="text-sm text-muted-foreground" data-testid="not-connectable">
            Stint has no Entra app registration configured, so it cannot connect real tenants yet. Set ENTRA_CLIENT_ID and
            ENTRA_CLIENT_SECRET (see .env.example), or try Stint with a sandbox customer.
          </p>
        ) : null}
        {mayManage && customer.archived ? <p className="text-sm text-muted-foreground">Restore the customer to connect it.</p> : null}
      </CardContent>
    </Card>
  );
}
