"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { describeHours } from "@/lib/policies/describe-hours";
import { approvalModeLabels } from "@/lib/vocabulary/approval-modes";
import { api, type OutputOf } from "@/components/api/client";
import type { Hook, PsaChoice } from "./hook-forms";
import { PolicyForm, type Choices } from "./policy-form";
import { PolicyHooks } from "./policy-hooks";

type Row = OutputOf<"listAccessPolicies">["items"][number];

/** One policy: what it applies to and asks, in words; edit or remove it. */
export function PolicyRow({ policy, choices, hooks, psaConnections }: { policy: Row; choices: Choices; hooks: Hook[]; psaConnections: PsaChoice[] }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const nameOf = (list: { id: string; name: string }[], id: string | null, any: string) => (id ? (list.find((x) => x.id === id)?.name ?? id) : any);
  const isDefault = !policy.customerId && !policy.accessLevelId;
  const asks = [
    policy.approval === "never" ? "no approval" : `approval: ${approvalModeLabels[policy.approval].toLowerCase()} (${policy.approvalsRequired === 2 ? "2 people" : "1 person"})`,
    policy.ticketRequired ? `ticket${policy.ticketPattern ? ` ${policy.ticketPattern}` : ""}` : null,
    policy.justificationMinLength > 10 ? `justification ≥ ${policy.justificationMinLength}` : null,
    policy.stepUpAtRequest ? "passkey at request" : null,
    policy.restrictToHours ? `only ${describeHours({ days: policy.hoursDays, from: policy.hoursFrom, to: policy.hoursTo })}` : null,
    policy.maxDurationMinutes ? `at most ${policy.maxDurationMinutes} min` : null,
    policy.consentText ? "terms" : null,
  ].filter(Boolean);
  return (
    <Card data-testid="policy">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle>{policy.name}</CardTitle>
            {isDefault ? <Badge>MSP default</Badge> : null}
          </div>
          <div className="text-sm text-muted-foreground">
            {nameOf(choices.customers, policy.customerId, "Every customer")} × {nameOf(choices.levels, policy.accessLevelId, "every access level")}
          </div>
          <div className="text-sm">{asks.join(" · ")}</div>
        </div>
        <div className="flex gap-2">
          <Button variant="outline" size="sm" onClick={() => setEditing(!editing)}>{editing ? "Close" : "Edit"}</Button>
          <Button
            variant="ghost"
            size="sm"
            onClick={async () => {
              if (!window.confirm(`Remove the policy "${policy.name}"? What it covers falls back to the next policy.`)) return;
              await api("removeAccessPolicy", { params: { policyId: policy.id } });
              router.refresh();
            }}
          >
            Remove
          </Button>
        </div>
      </CardHeader>
      <CardContent className="grid gap-6">
        {editing ? <PolicyForm choices={choices} policy={{ ...policy, customerId: policy.customerId ?? "", accessLevelId: policy.accessLevelId ?? "" }} onDone={() => setEditing(false)} /> : null}
        <PolicyHooks policyId={policy.id} hooks={hooks} psaConnections={psaConnections} />
      </CardContent>
    </Card>
  );
}
