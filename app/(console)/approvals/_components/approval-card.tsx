"use client";

import { useState, type ReactNode } from "react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formatMinutes } from "@/lib/format";

export type Approval = {
  id: string;
  kind: "approval" | "review";
  customerName: string;
  memberName: string;
  accessLevels: { id: string; name: string }[];
  durationMinutes: number;
  justification: string;
  ticketRef: string | null;
  startAt: Date;
  approvalExpiresAt: Date | null;
  approvalsRequired: number;
  approvedBy: string[];
  createdAt: Date;
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid content-start gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm break-words">{children}</dd>
    </div>
  );
}

/** One request in the queue: what is asked and why, and the approver's answer (approve with a passkey, or deny with a reason). */
export function ApprovalCard({ approval }: { approval: Approval }) {
  const [minutes, setMinutes] = useState(String(approval.durationMinutes));
  const [reason, setReason] = useState("");
  const [denying, setDenying] = useState(false);
  const { busy, error, run: act } = useConsoleAction();
  const params = { grantId: approval.id };
  const approve = () => act(() => withStepUp(() => api("approveGrant", { params, body: Number(minutes) < approval.durationMinutes ? { durationMinutes: Number(minutes) } : {} })));
  const deny = () => act(() => api("denyGrant", { params, body: { reason } }));
  const review = () => act(() => api("reviewEmergencyGrant", { params, body: {} }));

  return (
    <Card id={`grant-${approval.id}`} className="scroll-mt-6" data-testid="approval">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle>{approval.customerName}</CardTitle>
            {approval.kind === "review" ? <Badge variant="destructive">Break glass — review</Badge> : <Badge variant="warning">Awaiting approval</Badge>}
            {approval.approvalsRequired === 2 ? <Badge variant="muted">{approval.approvedBy.length} of 2 approvals</Badge> : null}
          </div>
          <div className="text-sm text-muted-foreground">
            {approval.memberName} asks for {approval.accessLevels.map((l) => l.name).join(", ")}
          </div>
        </div>
        {approval.kind === "approval" && approval.approvalExpiresAt ? <div className="text-xs text-muted-foreground">expires <Time at={approval.approvalExpiresAt} /></div> : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Duration">{formatMinutes(approval.durationMinutes)}</Fact>
          <Fact label="Starts">{approval.startAt.getTime() - approval.createdAt.getTime() > 60_000 ? <Time at={approval.startAt} /> : "when approved"}</Fact>
          <Fact label="Ticket">{approval.ticketRef ?? "—"}</Fact>
          <Fact label="Requested"><Time at={approval.createdAt} /></Fact>
        </dl>
        <div className="grid gap-0.5">
          <div className="text-xs text-muted-foreground">Justification</div>
          <p className="text-sm whitespace-pre-wrap break-words" data-testid="approval-justification">{approval.justification}</p>
        </div>
        {error ? <Alert variant="error">{error}</Alert> : null}
        {approval.kind === "review" ? (
          <div className="border-t border-border pt-4">
            <Button onClick={review} disabled={busy}>Mark reviewed</Button>
          </div>
        ) : (
          <div className="grid gap-3 border-t border-border pt-4">
            <div className="flex flex-wrap items-end gap-3 max-sm:flex-col max-sm:items-stretch">
              <div className="grid gap-1">
                <Label htmlFor={`minutes-${approval.id}`}>Duration (minutes; you may shorten it)</Label>
                <Input id={`minutes-${approval.id}`} type="number" min={15} max={approval.durationMinutes} step={15} className="sm:w-40" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
              </div>
              <Button onClick={approve} disabled={busy} data-testid="approve">
                {busy && !denying ? "Waiting for your passkey…" : "Approve with passkey"}
              </Button>
              <Button variant="outline" onClick={() => setDenying(!denying)} disabled={busy}>
                Deny…
              </Button>
            </div>
            {denying ? (
              <div className="grid gap-2">
                <Label htmlFor={`reason-${approval.id}`}>Why (the requester sees it)</Label>
                <Input id={`reason-${approval.id}`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Use the helpdesk level for this" />
                <div>
                  <Button variant="destructive" onClick={deny} disabled={busy || reason.trim().length < 5} data-testid="confirm-deny">
                    Deny request
                  </Button>
                </div>
              </div>
            ) : null}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
