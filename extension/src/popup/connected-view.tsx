import { useCallback, useEffect, useState } from "react";
import type { Grant } from "../shared/api-types";
import { ask, type Connection } from "../shared/messages";
import { formatInBrowserZone, timeLeft } from "../shared/time";
import { whySignInCannotWork } from "./sign-in-block";

type Props = { connection: Extract<Connection, { kind: "connected" }>; onChange: (connection: Connection) => void };

const REFRESH_MS = 10_000;

/**
 * How the grant's account signs in: a Temporary Access Pass (with when it lapses, since Microsoft ends the
 * sessions it opened then) or a password only, which stops at the MFA of Microsoft's admin portals.
 */
function SignInNote({ grant }: { grant: Grant }) {
  if (grant.state !== "active") return null;
  if (grant.signInMethod === "password") {
    return (
      <div className="note" data-testid="sign-in-note">
        Password only: Microsoft&rsquo;s admin portals will ask for MFA this account cannot give.
      </div>
    );
  }
  if (grant.temporaryAccessPassRenewalError) {
    return (
      <div className="note warn" data-testid="sign-in-note">
        {grant.temporaryAccessPassRenewalError}
      </div>
    );
  }
  const expires = grant.temporaryAccessPassExpiresAt ? new Date(grant.temporaryAccessPassExpiresAt) : null;
  const renews = expires && grant.endsAt && new Date(grant.endsAt) > expires;
  return (
    <div className="note" data-testid="sign-in-note">
      Temporary Access Pass{expires ? ` until ${formatInBrowserZone(expires, "time")}` : ""}
      {renews ? "; a new one follows, sign in again then" : ""}. If Microsoft asks to register security info, that is yours to skip or do.
    </div>
  );
}

/** Connected: the technician's live grants, each with a Sign in button, refreshed while the popup is open. */
export function ConnectedView({ connection, onChange }: Props) {
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [mfaDemanding, setMfaDemanding] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  // What went wrong at the last sign-in (the background keeps it until the popup has shown it).
  const [problem, setProblem] = useState<string | null>(null);
  const [launching, setLaunching] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [staySignedIn, setStaySignedIn] = useState(connection.staySignedIn);

  const load = useCallback(async () => {
    const answer = await ask({ type: "grants" });
    if (answer.ok) {
      setGrants(answer.grants);
      setMfaDemanding(answer.mfaDemandingCustomers);
      setError(null);
      if (answer.problem) setProblem(answer.problem);
      return;
    }
    if (answer.code === "not_connected" || answer.code === "unauthorized") {
      const refreshed = await ask({ type: "connection" });
      if (refreshed.ok) onChange(refreshed.connection);
      return;
    }
    setError(answer.message);
  }, [onChange]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  async function signIn(grantId: string) {
    setLaunching(grantId);
    setError(null);
    setProblem(null);
    const answer = await ask({ type: "launch", grantId });
    setLaunching(null);
    if (!answer.ok) {
      setError(answer.message);
      void load();
    }
  }

  const live = (grants ?? []).filter((g) => g.state !== "ended");
  return (
    <div className="stack">
      <p className="muted who">
        {connection.memberName} · {connection.mspName}
      </p>
      {(problem ?? error) && (
        <p className="alert" role="alert">
          {problem ?? error}
        </p>
      )}
      {grants === null && <p className="muted">Loading your access…</p>}
      {grants !== null && live.length === 0 && (
        <p className="empty" data-testid="no-grants">
          No live access.{" "}
          <a href={`${connection.serverUrl}/access/request`} target="_blank" rel="noreferrer">
            Request access in Stint
          </a>
          , then sign in from here.
        </p>
      )}
      <ul className="grants">
        {live.map((grant) => {
          const blocked = whySignInCannotWork(grant, mfaDemanding, (d) => formatInBrowserZone(d, "short"), now);
          return (
            <li key={grant.id} className="grant" data-testid="grant">
              <div className="grant-head">
                <strong>{grant.customer.name}</strong>
                {grant.customer.isSandbox && <span className="sandbox" title="The emulated tenant of Stint's sandbox, not a real Microsoft tenant">Sandbox</span>}
                <span className={`state state-${grant.state}`}>{grant.state.replace("_", " ")}</span>
              </div>
              <div className="levels">{grant.accessLevels.map((l) => l.name).join(", ")}</div>
              <div className="upn">{grant.upn}</div>
              {blocked ? (
                // Red only where it will not come right by waiting.
                <div className={grant.state === "active" ? "note warn" : "note"} data-testid="sign-in-blocked">
                  {blocked}
                </div>
              ) : (
                <SignInNote grant={grant} />
              )}
              {grant.state === "active" && (
                <div className="grant-foot">
                  <span className="countdown" data-testid="countdown">
                    ends in {timeLeft(grant.usableTo ?? grant.endsAt, now)}
                  </span>
                  {!blocked && (
                    <button type="button" className="primary small" disabled={launching !== null} onClick={() => void signIn(grant.id)}>
                      {launching === grant.id ? "Opening…" : "Sign in"}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <footer className="settings">
        <label className="check">
          <input
            type="checkbox"
            checked={staySignedIn}
            onChange={async (e) => {
              const wanted = e.target.checked;
              setStaySignedIn(wanted);
              const answer = await ask({ type: "preferences", staySignedIn: wanted });
              if (!answer.ok) setStaySignedIn(!wanted);
            }}
          />
          Answer &ldquo;Stay signed in?&rdquo; with Yes
        </label>
        <button
          type="button"
          className="link"
          onClick={async () => {
            const answer = await ask({ type: "disconnect" });
            if (answer.ok) onChange(answer.connection);
          }}
        >
          Disconnect this browser
        </button>
      </footer>
    </div>
  );
}
