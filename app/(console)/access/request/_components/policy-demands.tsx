import { describeHours } from "@/lib/policies/describe-hours";
import { formatMinutes } from "@/lib/format";
import type { PolicyDemands } from "./use-policy-demands";

function approversText(d: PolicyDemands): string {
  const names = d.approvers.map((a) => a.displayName).join(", ") || "nobody yet";
  return d.approvalsRequired === 2 ? `two different people among ${names}` : `one of ${names}`;
}

/** The access policy's demands, shown before submit: what will be asked, and who approves. */
export function PolicyDemandsPanel({ demands }: { demands: PolicyDemands }) {
  const lines: string[] = [];
  if (demands.ticketRequired) lines.push(`A ticket reference is required${demands.ticketPatterns.length ? ` (format ${demands.ticketPatterns.join(", ")})` : ""}.`);
  if (demands.justificationMinLength > 10) lines.push(`The justification needs at least ${demands.justificationMinLength} characters.`);
  if (demands.stepUpAtRequest) lines.push("You confirm the request with your passkey.");
  for (const h of demands.hours) if (h.restricts) lines.push(`Access may start only ${describeHours(h)} (${demands.timeZone}).`);
  if (demands.maxDurationMinutes) lines.push(`At most ${formatMinutes(demands.maxDurationMinutes)}.`);
  return (
    <div className="grid gap-1.5 rounded-md border border-border bg-muted/40 p-4 text-sm" data-testid="policy-demands">
      <div className="font-medium">
        {demands.approvalRequired ? `Needs approval by ${approversText(demands)}.` : "No approval needed: access starts when you request it."}
      </div>
      {demands.approvalRequired ? <div className="text-muted-foreground">The time starts when it is approved; unanswered, the request expires after {formatMinutes(demands.approvalExpiryMinutes)}.</div> : null}
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
      {demands.policies.length ? <div className="text-xs text-muted-foreground">Policy: {demands.policies.map((p) => p.name).join(", ")}</div> : null}
    </div>
  );
}
