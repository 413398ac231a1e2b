import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { stepLabel } from "../../_components/grant-labels";
import { formatSpan, formatUtc } from "../../_components/times";

type Step = { id: string; step: string; status: "running" | "succeeded" | "failed"; startedAt: Date; finishedAt: Date | null; detail: string | null };

const statusBadges = {
  running: <Badge>Running</Badge>,
  succeeded: <Badge variant="success">Done</Badge>,
  failed: <Badge variant="destructive">Failed</Badge>,
};

/** Every provisioning and expiry step, with when it ran and how long it took: the grant's exposure record. */
export function StepsTable({ steps }: { steps: Step[] }) {
  return (
    <Table data-testid="grant-steps">
      <THead>
        <TR>
          <TH>Step</TH>
          <TH>Status</TH>
          <TH>Started</TH>
          <TH>Finished</TH>
          <TH>Took</TH>
          <TH>Detail</TH>
        </TR>
      </THead>
      <TBody>
        {steps.length === 0 ? (
          <TR>
            <TD colSpan={6} className="py-6 text-center text-muted-foreground">No steps recorded yet.</TD>
          </TR>
        ) : null}
        {steps.map((s) => (
          <TR key={s.id}>
            <TD className="whitespace-nowrap font-medium">{stepLabel(s.step)}</TD>
            <TD>{statusBadges[s.status]}</TD>
            <TD className="whitespace-nowrap text-xs">{formatUtc(s.startedAt)}</TD>
            <TD className="whitespace-nowrap text-xs">{formatUtc(s.finishedAt)}</TD>
            <TD className="whitespace-nowrap text-xs tabular-nums">{s.finishedAt ? formatSpan(s.finishedAt.getTime() - s.startedAt.getTime()) : "—"}</TD>
            <TD className={s.status === "failed" ? "max-w-md text-xs text-destructive" : "max-w-md text-xs text-muted-foreground"}>{s.detail ?? ""}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
