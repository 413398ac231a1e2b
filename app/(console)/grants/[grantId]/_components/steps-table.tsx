import { Time } from "@/components/time/time";
import { Badge } from "@/components/ui/badge";
import { PhoneLabel, stackedOnPhones, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { stepLabel } from "../../_components/grant-labels";
import { formatSpan } from "@/lib/time/durations";

type Step = { id: string; step: string; status: "running" | "succeeded" | "failed"; startedAt: Date; finishedAt: Date | null; detail: string | null };
type Act = { id: string; at: Date; label: string; detail: string | null };
type Entry = { id: string; label: string; status: Step["status"] | "act"; startedAt: Date; finishedAt: Date | null; detail: string | null };

const statusBadges = {
  running: <Badge>Running</Badge>,
  succeeded: <Badge variant="success">Done</Badge>,
  failed: <Badge variant="destructive">Failed</Badge>,
  act: <Badge variant="muted" className="whitespace-nowrap">By a person</Badge>,
};

const card = stackedOnPhones;

/** Steps and acts in the order they happened; an act takes no time. */
function entriesOf(steps: Step[], acts: Act[]): Entry[] {
  const entries: Entry[] = [
    ...steps.map((s) => ({ ...s, label: stepLabel(s.step) })),
    ...acts.map((a) => ({ id: a.id, label: a.label, status: "act" as const, startedAt: a.at, finishedAt: null, detail: a.detail })),
  ];
  return entries.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/**
 * The grant's timeline: every provisioning and expiry step, with when it ran and how long it took (the
 * grant's exposure record), and among them what people did to it. On phones one card an entry, its name
 * and status on top.
 */
export function StepsTable({ steps, acts }: { steps: Step[]; acts: Act[] }) {
  const entries = entriesOf(steps, acts);
  return (
    <Table data-testid="grant-steps" className={card.table}>
      <THead className={card.head}>
        <TR>
          <TH>Step</TH>
          <TH>Status</TH>
          <TH>Started</TH>
          <TH>Finished</TH>
          <TH>Took</TH>
          <TH>Detail</TH>
        </TR>
      </THead>
      <TBody className={card.body}>
        {entries.length === 0 ? (
          <TR className={card.row}>
            <TD colSpan={6} className={cn("py-6 text-center text-muted-foreground", card.cell)}>No steps recorded yet.</TD>
          </TR>
        ) : null}
        {entries.map((s) => (
          <TR key={s.id} className={card.row} data-testid={s.status === "act" ? "timeline-act" : undefined}>
            <TD className={cn("whitespace-nowrap font-medium", card.cell, card.title, "max-md:whitespace-normal")}>{s.label}</TD>
            <TD className={cn(card.cell, card.aside)}>{statusBadges[s.status]}</TD>
            <TD className={cn("whitespace-nowrap text-xs", card.cell)}>
              <PhoneLabel>Started</PhoneLabel>
              <Time at={s.startedAt} />
            </TD>
            <TD className={cn("whitespace-nowrap text-xs", card.cell)}>
              <PhoneLabel>Finished</PhoneLabel>
              <Time at={s.status === "act" ? s.startedAt : s.finishedAt} />
            </TD>
            <TD className={cn("whitespace-nowrap text-xs tabular-nums", card.cell)}>
              <PhoneLabel>Took</PhoneLabel>
              {s.finishedAt ? formatSpan(s.finishedAt.getTime() - s.startedAt.getTime()) : "—"}
            </TD>
            <TD className={cn("max-w-md text-xs break-words", s.status === "failed" ? "text-destructive" : "text-muted-foreground", card.cell, !s.detail && "max-md:hidden")}>{s.detail ?? ""}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
