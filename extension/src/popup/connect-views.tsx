import { useState, type FormEvent } from "react";
import { ask, type Connection } from "../shared/messages";
import { formatInBrowserZone } from "../shared/time";

type OnChange = (connection: Connection) => void;

/** First run: where this MSP's Stint is. */
export function ServerForm({ onDone, initial = "" }: { onDone: OnChange; initial?: string }) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await ask({ type: "configure", serverUrl: value });
    if (answer.ok) onDone(answer.connection);
    else setError(answer.message);
  }
  return (
    <form onSubmit={submit} className="stack">
      <h1>Connect to your Stint</h1>
      <label htmlFor="server-url">Stint address</label>
      <input id="server-url" type="url" required placeholder="https://stint.example.com" value={value} onChange={(e) => setValue(e.target.value)} />
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary">
        Continue
      </button>
    </form>
  );
}

/** Not connected (never, or the token expired or was revoked): start pairing. */
export function ConnectView({ connection, onChange }: { connection: Extract<Connection, { kind: "disconnected" }>; onChange: OnChange }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  if (editing) return <ServerForm onDone={onChange} initial={connection.serverUrl} />;
  async function pair() {
    setBusy(true);
    const answer = await ask({ type: "pair" });
    setBusy(false);
    if (answer.ok) onChange(answer.connection);
    else setError(answer.message);
  }
  return (
    <div className="stack">
      {connection.notice && (
        <p className="notice" role="status">
          {connection.notice}
        </p>
      )}
      <h1>Connect this browser</h1>
      <p className="muted">You will approve a code in Stint with your passkey. The extension then signs you in to your customers&apos; Microsoft portals with your JIT accounts.</p>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="primary" onClick={pair} disabled={busy}>
        Connect to Stint
      </button>
      <button type="button" className="link" onClick={() => setEditing(true)}>
        Change Stint address
      </button>
    </div>
  );
}

/** A code is waiting for the technician's approval in Stint's console. */
export function PairingView({ connection, onChange }: { connection: Extract<Connection, { kind: "pairing" }>; onChange: OnChange }) {
  const { pairing } = connection;
  return (
    <div className="stack">
      <h1>Approve this code in Stint</h1>
      <p className="code" data-testid="pairing-code" aria-label="Pairing code">
        {pairing.userCode}
      </p>
      <p className="muted">
        Type this code into Stint&apos;s Connect page, then approve it with your passkey. The code works until{" "}
        {formatInBrowserZone(pairing.expiresAt, "time")}.
      </p>
      <button type="button" className="primary" onClick={() => void ask({ type: "openApproval" })}>
        Open Stint to approve
      </button>
      <button type="button" className="link" onClick={async () => { const a = await ask({ type: "cancelPairing" }); if (a.ok) onChange(a.connection); }}>
        Cancel
      </button>
    </div>
  );
}
