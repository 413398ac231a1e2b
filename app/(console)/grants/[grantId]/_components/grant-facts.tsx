import type { ReactNode } from "react";
import { Time } from "@/components/time/time";
import { expiryActionLabels, type ExpiryAction } from "@/lib/vocabulary/expiry-actions";
import { formatMinutes } from "@/lib/format";
import { signInMethodLabels, type SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { endReasonLabels } from "../../_components/grant-labels";
import { formatSpan } from "@/lib/time/durations";

type GrantFactsInput = {
  technician: { name: string; email: string };
  createdAt: Date;
  justification: string;
  ticketRef: string | null;
  hookMetadata: string | null;
  consentAcceptedAt: Date | null;
  accessLevelNames: string[];
  roleNames: string[];
  upn: string;
  entraUserId: string | null;
  startAt: Date;
  usableFrom: Date | null;
  durationMinutes: number;
  extendedMinutes: number;
  endsAt: Date | null;
  usableTo: Date | null;
  endReason: GrantEndReason | null;
  revokeReason: string | null;
  failureReason: string | null;
  state: string;
  nextExpiryAttemptAt: Date | null;
  expiryActions: ExpiryAction[];
  signInMethod: SignInMethod;
  tapExpiresAt: Date | null;
  tapRenewalError: string | null;
};

/** One labelled fact of a grant, in a grid of one to three columns; a wide one takes a whole row. */
export function Fact({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "grid content-start gap-0.5 sm:col-span-2 lg:col-span-3" : "grid content-start gap-0.5"}>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm break-words">{children}</dd>
    </div>
  );
}

/** How the actual end compares with the planned one: the exposure beyond (or short of) the window. */
function endDelta(planned: Date | null, actual: Date | null): string | null {
  if (!planned || !actual) return null;
  const ms = actual.getTime() - planned.getTime();
  return `${formatSpan(ms)} ${ms < 0 ? "before" : "after"} the planned end`;
}

export function GrantFacts({ facts }: { facts: GrantFactsInput }) {
  const delta = endDelta(facts.endsAt, facts.usableTo);
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="grant-facts">
      <Fact label="Requested by">
        {facts.technician.name} <span className="text-muted-foreground">({facts.technician.email})</span>
      </Fact>
      <Fact label="Requested at"><Time at={facts.createdAt} /></Fact>
      <Fact label="Ticket">{facts.ticketRef ?? "—"}</Fact>
      <Fact label="Justification" wide>
        <span className="whitespace-pre-wrap">{facts.justification}</span>
      </Fact>
      {facts.hookMetadata ? (
        <Fact label="Checks said" wide>
          {facts.hookMetadata}
        </Fact>
      ) : null}
      <Fact label="Access levels">{facts.accessLevelNames.join(", ") || "—"}</Fact>
      <Fact label="Directory roles">{facts.roleNames.join(", ")}</Fact>
      <Fact label="Account">
        <span className="font-mono text-xs">{facts.upn}</span>
        {facts.entraUserId ? <div className="font-mono text-xs text-muted-foreground">{facts.entraUserId}</div> : null}
      </Fact>
      <Fact label="Start"><Time at={facts.startAt} /></Fact>
      <Fact label="Usable from"><Time at={facts.usableFrom} /></Fact>
      <Fact label="Duration">
        {formatMinutes(facts.durationMinutes)}
        {facts.extendedMinutes ? ` + ${formatMinutes(facts.extendedMinutes)} in extensions` : ", not extended"}
      </Fact>
      <Fact label="Planned end"><Time at={facts.endsAt} /></Fact>
      <Fact label="Usable to (actual end)">
        <Time at={facts.usableTo} />
        {delta ? <div className="text-xs text-muted-foreground">{delta}</div> : null}
      </Fact>
      <Fact label="End reason">
        {facts.endReason ? endReasonLabels[facts.endReason] : "—"}
        {facts.revokeReason ? <div className="text-sm" data-testid="revoke-reason">“{facts.revokeReason}”</div> : null}
      </Fact>
      <Fact label="Signs in with">
        {signInMethodLabels[facts.signInMethod]}
        {facts.tapExpiresAt ? <div className="text-xs text-muted-foreground">current pass until <Time at={facts.tapExpiresAt} /></div> : null}
        {facts.tapRenewalError ? <div className="text-xs text-destructive">{facts.tapRenewalError}</div> : null}
      </Fact>
      <Fact label="Consent accepted"><Time at={facts.consentAcceptedAt} /></Fact>
      <Fact label="When access ends">{facts.expiryActions.map((a) => expiryActionLabels[a]).join(" → ")}</Fact>
      {facts.failureReason ? (
        <Fact label="Failure" wide>
          <span className="text-destructive">{facts.failureReason}</span>
        </Fact>
      ) : null}
      {facts.state === "irrevocable" && facts.nextExpiryAttemptAt ? (
        <Fact label="Next attempt to take the access away" wide>
          <Time at={facts.nextExpiryAttemptAt} />
          <div className="text-xs text-muted-foreground">Retried as long again as it has been failing, at most an hour apart, and at once when the tenant recovers.</div>
        </Fact>
      ) : null}
    </dl>
  );
}
