import { Time } from "@/components/time/time";
import { Badge } from "@/components/ui/badge";

export type ConnectionSummary = {
  status: "connected" | "disconnected";
  /** Set while a disconnect waits for the customer's live grants to be taken away. */
  disconnectRequestedAt: Date | null;
  healthOk: boolean;
  healthDetail: string | null;
  healthCheckedAt: Date | null;
};

export function ConnectionStatusBadge({ connection }: { connection: ConnectionSummary | null }) {
  if (!connection) return <Badge variant="muted">Not connected</Badge>;
  if (connection.status === "disconnected") return <Badge variant="muted">Disconnected</Badge>;
  if (connection.disconnectRequestedAt) return <Badge variant="warning">Disconnecting</Badge>;
  return <Badge variant="success">Connected</Badge>;
}

/** The last health check of a connected tenant: ok or the error, and when it was checked. */
export function ConnectionHealth({ connection }: { connection: ConnectionSummary }) {
  return (
    <div className="grid gap-0.5 text-xs">
      <div className="flex items-center gap-2">
        <Badge variant={connection.healthOk ? "success" : "destructive"}>{connection.healthOk ? "Healthy" : "Error"}</Badge>
        <span className="text-muted-foreground">{connection.healthCheckedAt ? <>checked <Time at={connection.healthCheckedAt} style="minute" /></> : "not checked yet"}</span>
      </div>
      {!connection.healthOk && connection.healthDetail ? <div className="text-destructive">{connection.healthDetail}</div> : null}
    </div>
  );
}
