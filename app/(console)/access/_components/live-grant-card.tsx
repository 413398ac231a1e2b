import Link from "next/link";
import type { ReactNode } from "react";
import { ApiActionButton } from "@/components/console/api-action-button";
import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatMinutes } from "@/lib/format";
import { signInMethodLabels, type SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { cn } from "@/lib/utils";
import { SandboxBadge } from "../../customers/_components/sandbox-badge";
import { Countdown } from "../../grants/_components/countdown";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { endReasonLabels } from "../../grants/_components/grant-labels";
import { GrantStateBadge } from "../../grants/_components/grant-state-badge";
import { EndGrantButton } from "./end-grant-button";
import { ExtendGrantForm } from "./extend-grant-form";
import { GrantProgress } from "./grant-progress";
import { RevealCredential } from "./reveal-credential";

type MyGrant = {
  id: string;
  state: GrantState;
  customerId: string;
  customerName: string;
  isSandbox: boolean;
  upn: string;
  durationMinutes: number;
  extendedMinutes: number;
  startAt: Date;
  endsAt: Date | null;
  endReason: GrantEndReason | null;
  failureReason: string | null;
  signInMethod: SignInMethod;
  tapExpiresAt: Date | null;
  tapRenewalError: string | null;
  approvalExpiresAt: Date | null;
  denialReason: string | null;
  emergency: boolean;
};

const polledStates: readonly GrantState[] = ["approved", "provisioning", "expiring"];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid content-start gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

function StatusNote({ grant }: { grant: MyGrant }) {
  if (grant.state === "pending_approval") {
    return (
      <p className="text-sm" data-testid="approval-note">
        Waiting for approval: nothing is created in the tenant until it is approved, and the time starts then. The request expires <Time at={grant.approvalExpiresAt} /> if nobody answers.
      </p>
    );
  }
  if (grant.state === "denied") return <Alert variant="error" data-testid="denial">Denied: {grant.denialReason ?? "no reason was given."}</Alert>;
  if (grant.emergency && grant.state !== "ended") return <Alert variant="warning">Break-glass access: approvers were told and will review it.</Alert>;
  if (grant.state === "irrevocable") {
    return (
      <Alert variant="error">
        Stint could not take this access away: {grant.failureReason ?? "Microsoft Graph kept refusing."} It retries every day, and your admins have been alerted.
      </Alert>
    );
  }
  if (grant.state === "failed") return <Alert variant="error">The account could not be made: {grant.failureReason ?? "no reason was recorded."}</Alert>;
  if (grant.state === "active" && grant.tapRenewalError) return <Alert variant="error" data-testid="tap-renewal-error">{grant.tapRenewalError}</Alert>;
  if (grant.state === "expiring") return <p className="text-sm text-muted-foreground">{grant.endReason ? `${endReasonLabels[grant.endReason]}: ` : ""}access is being taken away.</p>;
  if (grant.endReason) return <p className="text-sm text-muted-foreground">Ending requested: the account is taken away as soon as it exists.</p>;
  if (grant.state === "approved" && grant.startAt.getTime() > Date.now()) return <p className="text-sm">Starts at <Time at={grant.startAt} />.</p>;
  return null;
}

/** When the pass lapses, and whether a new one follows before then (sessions end with the pass). */
function PassValidity({ grant }: { grant: MyGrant }) {
  const renews = !grant.tapRenewalError && grant.endsAt && grant.tapExpiresAt && grant.endsAt > grant.tapExpiresAt;
  return (
    <div className="text-xs text-muted-foreground" data-testid="pass-validity">
      pass valid until <Time at={grant.tapExpiresAt} />
      {renews ? "; a new pass follows before then, and you sign in again with it" : ""}
    </div>
  );
}

/** The technician's actions on a grant that has not started ending: reveal (when usable), extend, end. */
function GrantActions({ grant }: { grant: MyGrant }) {
  if (grant.state === "pending_approval") {
    return (
      <div className="flex border-t border-border pt-4">
        <ApiActionButton operation="cancelGrantRequest" input={{ params: { grantId: grant.id } }} label="Cancel request" outlined destructive={false} />
      </div>
    );
  }
  const open = grant.state === "active" || grant.state === "provisioning" || grant.state === "approved";
  if (!open || grant.endReason) return null;
  return (
    // On phones one action a line, each across the card, for a thumb.
    <div className="flex flex-wrap items-start gap-3 border-t border-border pt-4 max-sm:flex-col max-sm:items-stretch">
      {grant.state === "active" ? <RevealCredential grantId={grant.id} /> : null}
      <ExtendGrantForm grantId={grant.id} />
      <div className="sm:ml-auto">
        <EndGrantButton grantId={grant.id} customerName={grant.customerName} />
      </div>
    </div>
  );
}

/** One grant of the signed-in technician: what it gives, its state and time left, and what they can do with it. */
export function LiveGrantCard({ grant, accessLevelNames, roleNames }: { grant: MyGrant; accessLevelNames: string[]; roleNames: string[] }) {
  return (
    <Card id={`grant-${grant.id}`} className={cn("scroll-mt-6", grant.state === "irrevocable" && "border-red-300 dark:border-red-800")} data-testid="live-grant">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle>{grant.customerName}</CardTitle>
            {grant.isSandbox ? <SandboxBadge /> : null}
            <GrantStateBadge state={grant.state} startAt={grant.startAt} />
          </div>
          <div className="font-mono text-xs break-all text-muted-foreground">{grant.upn}</div>
        </div>
        {grant.state === "active" && grant.endsAt ? (
          <div className="sm:text-right">
            <div className="text-xs text-muted-foreground">Ends in</div>
            <div className="text-2xl">
              <Countdown endsAt={grant.endsAt.toISOString()} refreshWhenDone />
            </div>
          </div>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Access levels">{accessLevelNames.join(", ") || "—"}</Fact>
          <Fact label="Directory roles">{roleNames.join(", ")}</Fact>
          <Fact label="Duration">
            {formatMinutes(grant.durationMinutes)}
            {grant.extendedMinutes ? ` + ${formatMinutes(grant.extendedMinutes)} extended` : ""}
            {grant.endsAt ? <div className="text-xs text-muted-foreground">until <Time at={grant.endsAt} /></div> : null}
          </Fact>
          <Fact label="Signs in with">
            {signInMethodLabels[grant.signInMethod]}
            {grant.state === "active" && grant.tapExpiresAt ? <PassValidity grant={grant} /> : null}
          </Fact>
        </dl>
        <StatusNote grant={grant} />
        {polledStates.includes(grant.state) ? <GrantProgress grantId={grant.id} state={grant.state} startAt={grant.startAt.toISOString()} signInMethod={grant.signInMethod} /> : null}
        <GrantActions grant={grant} />
        <div className="flex gap-4 text-sm font-medium">
          <Link href={`/grants/${grant.id}`} className="text-primary hover:underline">
            Timeline →
          </Link>
          {grant.state === "failed" || grant.state === "denied" ? (
            <Link href={`/access/request?customerId=${grant.customerId}`} className="text-primary hover:underline">
              Request again →
            </Link>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}
