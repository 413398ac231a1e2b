import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";
import type { TapReadiness } from "@/lib/entra/tap-readiness";
import { formatMinutes } from "@/lib/format";

type Props = { readiness: TapReadiness; policy: TapPolicy | null; policyReadAt: Date | null };

function ProblemList({ readiness }: { readiness: TapReadiness }) {
  return (
    <ul className="mt-2 grid gap-2">
      {readiness.problems.map((p) => (
        <li key={p.code}>
          {p.message} <span className="font-medium">Fix:</span> {p.fix}
        </li>
      ))}
    </ul>
  );
}

function Verdict({ readiness }: { readiness: TapReadiness }) {
  if (readiness.method === "tap" && readiness.problems.length === 0) {
    return (
      <Alert variant="success" data-testid="sign-in-verdict">
        Grants sign in with a Temporary Access Pass, which passes the MFA Microsoft enforces on the Azure portal, the Entra and Intune
        admin centers and the Microsoft 365 admin center.
      </Alert>
    );
  }
  if (readiness.method === "tap") {
    return (
      <Alert variant="error" data-testid="sign-in-verdict">
        <p className="font-medium">Grants here will fail to get their Temporary Access Pass until this is fixed:</p>
        <ProblemList readiness={readiness} />
      </Alert>
    );
  }
  return (
    <Alert variant="warning" data-testid="sign-in-verdict">
      <p>
        Grants sign in with a password only. Microsoft demands MFA on its admin portals, so these accounts stop at Microsoft&rsquo;s
        &ldquo;More information required&rdquo; page there.
        {readiness.problems.length === 0 ? " This tenant can issue Temporary Access Passes: choose that method in the JIT account settings." : ""}
      </p>
      {readiness.problems.length ? (
        <>
          <p className="mt-2 font-medium">Passes are not possible here yet:</p>
          <ProblemList readiness={readiness} />
        </>
      ) : null}
    </Alert>
  );
}

function PolicyFacts({ policy, readAt }: { policy: TapPolicy; readAt: Date | null }) {
  const targets = policy.includeTargets.map((t) => (t === "all_users" ? "All users" : t)).join(", ") || "nobody";
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="tap-policy">
      <div className="grid gap-0.5">
        <dt className="text-xs text-muted-foreground">Temporary Access Pass in the tenant</dt>
        <dd>
          <Badge variant={policy.state === "enabled" ? "success" : "destructive"}>{policy.state === "enabled" ? "Enabled" : "Disabled"}</Badge>
        </dd>
      </div>
      <div className="grid gap-0.5">
        <dt className="text-xs text-muted-foreground">For</dt>
        <dd className="break-words">
          {targets}
          {policy.excludeTargets.length ? ` (except ${policy.excludeTargets.length} group${policy.excludeTargets.length === 1 ? "" : "s"})` : ""}
        </dd>
      </div>
      <div className="grid gap-0.5">
        <dt className="text-xs text-muted-foreground">Pass lifetime</dt>
        <dd>
          {formatMinutes(policy.minimumLifetimeInMinutes)} to {formatMinutes(policy.maximumLifetimeInMinutes)}
        </dd>
      </div>
      <div className="grid gap-0.5">
        <dt className="text-xs text-muted-foreground">Passes</dt>
        <dd>{policy.isUsableOnce ? "One-time only" : "Reusable allowed"}</dd>
      </div>
      <div className="sm:col-span-2">
        <dt className="sr-only">Read</dt>
        <dd className="text-xs text-muted-foreground">Read from the tenant <Time at={readAt} />; read again at every health check.</dd>
      </div>
    </dl>
  );
}

/** Whether this customer's JIT accounts can sign in to Microsoft's admin portals, and if not, what to change. */
export function SignInCard({ readiness, policy, policyReadAt }: Props) {
  return (
    <Card data-testid="sign-in-card">
      <CardHeader>
        <CardTitle>Sign-in to Microsoft&rsquo;s admin portals</CardTitle>
        <CardDescription>How technicians&rsquo; JIT accounts get past the multifactor authentication Microsoft requires for admins.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Verdict readiness={readiness} />
        {readiness.notes.length ? (
          <ul className="grid gap-1 text-sm text-muted-foreground" data-testid="sign-in-notes">
            {readiness.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        ) : null}
        {policy ? <PolicyFacts policy={policy} readAt={policyReadAt} /> : null}
      </CardContent>
    </Card>
  );
}
