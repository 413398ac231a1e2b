import { useCallback, useEffect, useState } from "react";
import { ask, type Connection } from "../shared/messages";
import { ConnectedView } from "./connected-view";
import { PairingView, ConnectView, ServerForm } from "./connect-views";

/** The toolbar popup: one view per connection state, refreshed while a pairing waits for approval. */
export function Popup() {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const answer = await ask({ type: "connection" });
    if (answer.ok) setConnection(answer.connection);
    else setError(answer.message);
  }, []);

  useEffect(() => void refresh(), [refresh]);
  useEffect(() => {
    if (connection?.kind !== "pairing") return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [connection?.kind, refresh]);

  return (
    <main className="popup">
      <header className="brand">
        <span className="logo" aria-hidden="true">
          S
        </span>
        <span>Stint</span>
        {connection && connection.kind !== "unconfigured" && <span className="server">{new URL(connection.serverUrl).host}</span>}
      </header>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      {connection === null && <p className="muted">Loading…</p>}
      {connection?.kind === "unconfigured" && <ServerForm onDone={setConnection} />}
      {connection?.kind === "disconnected" && <ConnectView connection={connection} onChange={setConnection} />}
      {connection?.kind === "pairing" && <PairingView connection={connection} onChange={setConnection} />}
      {connection?.kind === "connected" && <ConnectedView connection={connection} onChange={setConnection} />}
    </main>
  );
}
