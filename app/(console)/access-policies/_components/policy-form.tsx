"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { api, ApiError, type InputOf } from "@/components/api/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field, Label } from "@/components/ui/label";
import { approvalModeLabels, approvalModes, type ApprovalMode } from "@/lib/vocabulary/approval-modes";

type Option = { id: string; name: string };
export type Choices = { customers: Option[]; levels: Option[]; members: Option[]; teams: Option[] };
type Policy = InputOf<"createAccessPolicy">["body"];
type Values = Required<{ [K in keyof Policy]: NonNullable<Policy[K]> }>;

const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const approverRoles = ["owner", "admin", "technician"] as const;
const textareaClass = "w-full rounded-md border border-border bg-background px-3 py-2 text-sm shadow-xs max-md:text-base";

const blank: Values = {
  name: "", customerId: "", accessLevelId: "", approval: "never", approvalsRequired: 1, approverRoles: ["owner", "admin"], approverTeamIds: [], approverMemberIds: [],
  approvalExpiryMinutes: 1440, emergencyAllowed: true, ticketRequired: false, ticketPattern: "", justificationMinLength: 10, stepUpAtRequest: false,
  hoursDays: [1, 2, 3, 4, 5], hoursFrom: "08:00", hoursTo: "18:00", restrictToHours: false, maxDurationMinutes: 0, consentText: "",
};

const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

function Check({ checked, onChange, children, testId }: { checked: boolean; onChange: (on: boolean) => void; children: ReactNode; testId?: string }) {
  return (
    <label className="flex items-center gap-2 text-sm max-md:min-h-11">
      <input type="checkbox" className="h-4 w-4 accent-primary" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {children}
    </label>
  );
}

/** Creates an access policy, or edits the one given. */
export function PolicyForm({ choices, policy, onDone }: { choices: Choices; policy?: { id: string } & Record<string, unknown>; onDone?: () => void }) {
  const router = useRouter();
  const [v, setV] = useState<Values>(() => ({ ...blank, ...Object.fromEntries(Object.entries(policy ?? {}).filter(([, x]) => x !== null)) }) as Values);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setV((old) => ({ ...old, [key]: value }));
  const idp = policy ? `policy-${policy.id}` : "new-policy";

  async function save() {
    setBusy(true);
    setError(null);
    const body: Policy = {
      ...v,
      customerId: v.customerId || null,
      accessLevelId: v.accessLevelId || null,
      ticketPattern: v.ticketPattern || null,
      consentText: v.consentText || null,
      maxDurationMinutes: v.maxDurationMinutes || null,
    };
    try {
      if (policy) await api("updateAccessPolicy", { params: { policyId: policy.id }, body });
      else {
        await api("createAccessPolicy", { body });
        setV(blank);
      }
      onDone?.();
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError && err.field ? `${err.field}: ${err.message}` : err instanceof Error ? err.message : "Could not save the policy.");
    } finally {
      setBusy(false);
    }
  }

  const needsApprovers = v.approval !== "never";
  return (
    <form
      className="grid gap-5"
      noValidate
      data-testid={policy ? `edit-${policy.id}` : "new-policy"}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="grid items-start gap-3 md:grid-cols-3">
        <Field id={`${idp}-name`} label="Name">
          <Input id={`${idp}-name`} value={v.name} onChange={(e) => set("name", e.target.value)} placeholder="Privileged access needs approval" />
        </Field>
        <Field id={`${idp}-customer`} label="Customer">
          <Select id={`${idp}-customer`} value={v.customerId} onChange={(e) => set("customerId", e.target.value)}>
            <option value="">Every customer</option>
            {choices.customers.map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </Select>
        </Field>
        <Field id={`${idp}-level`} label="Access level">
          <Select id={`${idp}-level`} value={v.accessLevelId} onChange={(e) => set("accessLevelId", e.target.value)}>
            <option value="">Every access level</option>
            {choices.levels.map((l) => (
              <option key={l.id} value={l.id}>{l.name}</option>
            ))}
          </Select>
        </Field>
      </div>

      <fieldset className="grid gap-3 rounded-md border border-border p-4">
        <legend className="px-1 text-sm font-medium">Approval</legend>
        <div className="grid items-start gap-3 md:grid-cols-3">
          <Field id={`${idp}-approval`} label="Approval required">
            <Select id={`${idp}-approval`} value={v.approval} onChange={(e) => set("approval", e.target.value as ApprovalMode)}>
              {approvalModes.map((m) => (
                <option key={m} value={m}>{approvalModeLabels[m]}</option>
              ))}
            </Select>
          </Field>
          <Field id={`${idp}-count`} label="Approvals">
            <Select id={`${idp}-count`} value={String(v.approvalsRequired)} disabled={!needsApprovers} onChange={(e) => set("approvalsRequired", Number(e.target.value))}>
              <option value="1">1 approver</option>
              <option value="2">2 different approvers</option>
            </Select>
          </Field>
          <Field id={`${idp}-expiry`} label="Expires unanswered after (minutes)">
            <Input id={`${idp}-expiry`} type="number" min={15} value={v.approvalExpiryMinutes} disabled={!needsApprovers} onChange={(e) => set("approvalExpiryMinutes", Number(e.target.value))} />
          </Field>
        </div>
        {needsApprovers ? (
          <div className="grid gap-3 md:grid-cols-3">
            <div className="grid content-start gap-1">
              <Label>Roles that approve</Label>
              {approverRoles.map((r) => (
                <Check key={r} checked={v.approverRoles.includes(r)} onChange={(on) => set("approverRoles", toggle(v.approverRoles, r, on))}>
                  {r[0]!.toUpperCase() + r.slice(1)}s
                </Check>
              ))}
            </div>
            <div className="grid content-start gap-1">
              <Label>Teams that approve</Label>
              {choices.teams.length === 0 ? <p className="text-xs text-muted-foreground">No teams yet.</p> : null}
              {choices.teams.map((t) => (
                <Check key={t.id} checked={v.approverTeamIds.includes(t.id)} onChange={(on) => set("approverTeamIds", toggle(v.approverTeamIds, t.id, on))}>
                  {t.name}
                </Check>
              ))}
            </div>
            <div className="grid content-start gap-1">
              <Label>Members who approve</Label>
              <div className="grid max-h-40 gap-1 overflow-y-auto">
                {choices.members.map((m) => (
                  <Check key={m.id} checked={v.approverMemberIds.includes(m.id)} onChange={(on) => set("approverMemberIds", toggle(v.approverMemberIds, m.id, on))}>
                    {m.name}
                  </Check>
                ))}
              </div>
            </div>
          </div>
        ) : null}
        {needsApprovers ? (
          <Check checked={v.emergencyAllowed} onChange={(on) => set("emergencyAllowed", on)}>
            Allow break glass: an emergency request skips approval and is reviewed afterwards
          </Check>
        ) : null}
        <p className="text-xs text-muted-foreground">Nobody ever approves their own request.</p>
      </fieldset>

      <fieldset className="grid gap-3 rounded-md border border-border p-4">
        <legend className="px-1 text-sm font-medium">Request</legend>
        <div className="grid items-start gap-3 md:grid-cols-3">
          <div className="grid gap-1">
            <Check checked={v.ticketRequired} onChange={(on) => set("ticketRequired", on)}>Ticket reference required</Check>
            <Check checked={v.stepUpAtRequest} onChange={(on) => set("stepUpAtRequest", on)}>Passkey confirmation at request</Check>
          </div>
          <Field id={`${idp}-pattern`} label="Ticket format (regular expression)">
            <Input id={`${idp}-pattern`} value={v.ticketPattern} onChange={(e) => set("ticketPattern", e.target.value)} placeholder="INC-\d{4,}" />
          </Field>
          <Field id={`${idp}-justification`} label="Justification minimum (characters)">
            <Input id={`${idp}-justification`} type="number" min={10} value={v.justificationMinLength} onChange={(e) => set("justificationMinLength", Number(e.target.value))} />
          </Field>
        </div>
        <Field id={`${idp}-max`} label="Maximum duration (minutes; 0: the customer's and delegation's limits)">
          <Input id={`${idp}-max`} type="number" min={0} className="max-w-40" value={v.maxDurationMinutes} onChange={(e) => set("maxDurationMinutes", Number(e.target.value))} />
        </Field>
      </fieldset>

      <fieldset className="grid gap-3 rounded-md border border-border p-4">
        <legend className="px-1 text-sm font-medium">Hours, in the customer&apos;s time zone</legend>
        <div className="flex flex-wrap gap-3">
          {days.map((d, i) => (
            <Check key={d} checked={v.hoursDays.includes(i + 1)} onChange={(on) => set("hoursDays", toggle(v.hoursDays, i + 1, on).toSorted())}>
              {d}
            </Check>
          ))}
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <Field id={`${idp}-from`} label="From">
            <Input id={`${idp}-from`} type="time" value={v.hoursFrom} onChange={(e) => set("hoursFrom", e.target.value)} />
          </Field>
          <Field id={`${idp}-to`} label="To">
            <Input id={`${idp}-to`} type="time" value={v.hoursTo} onChange={(e) => set("hoursTo", e.target.value)} />
          </Field>
        </div>
        <Check checked={v.restrictToHours} onChange={(on) => set("restrictToHours", on)}>Access may start only within these hours</Check>
        <p className="text-xs text-muted-foreground">With approval &ldquo;outside the policy&apos;s hours&rdquo;, these are the business hours in which no approval is needed.</p>
      </fieldset>

      <Field id={`${idp}-consent`} label="Consent text (shown with the customer's terms; the accepted text is kept with the grant)">
        <textarea id={`${idp}-consent`} rows={3} className={textareaClass} value={v.consentText} onChange={(e) => set("consentText", e.target.value)} />
      </Field>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={busy}>{policy ? "Save changes" : "Create policy"}</Button>
        {onDone ? <Button variant="ghost" onClick={onDone}>Cancel</Button> : null}
      </div>
    </form>
  );
}
