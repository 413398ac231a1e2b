"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { api, ApiError } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field, Label } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { formatMinutes, withoutFieldPrefix } from "@/lib/format";
import type { delegationInput, DelegationInput } from "@/lib/services/delegations/schemas";
import { cn } from "@/lib/utils";
import { CheckboxList } from "./checkbox-list";

type Delegation = z.output<typeof delegationInput>;
type Named = { id: string; name: string };
type DelegationLevelOption = Named & { customerIds: string[]; includesGlobalAdmin: boolean };
/** Either the form delegates on one given customer, or the member picks a customer (or all of them). */
type DelegationScope = { customerId: string } | { customers: (Named & { isSandbox: boolean })[] };

type Props = {
  members: (Named & { detail: string })[];
  teams: Named[];
  scope: DelegationScope;
  accessLevels: DelegationLevelOption[];
  defaultMaxDurationMinutes: number;
};

const delegationFields = ["memberId", "teamId", "customerId", "accessLevelIds", "maxDurationMinutes"] as const;
const ALL_CUSTOMERS = "*";

export function DelegationForm({ members, teams, scope, accessLevels, defaultMaxDurationMinutes }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const initialCustomer = "customerId" in scope ? scope.customerId : (scope.customers[0]?.id ?? null);
  const defaults: DelegationInput = { memberId: null, teamId: null, customerId: initialCustomer, accessLevelIds: [], maxDurationMinutes: defaultMaxDurationMinutes };
  const form = useForm<DelegationInput, unknown, Delegation>({ resolver: lazyZodResolver(() => import("@/lib/services/delegations/schemas").then((m) => m.delegationInput)), defaultValues: defaults });
  const { errors, isSubmitting } = form.formState;

  const levelsOn = (customerId: string | null) => accessLevels.filter((l) => customerId === null || l.customerIds.includes(customerId));
  const customerId = form.watch("customerId");
  const availableLevels = levelsOn(customerId);
  const memberId = form.watch("memberId");
  const teamId = form.watch("teamId");
  const subject = memberId ? `member:${memberId}` : teamId ? `team:${teamId}` : "";

  function chooseSubject(value: string) {
    const [kind, id] = value.split(":");
    form.setValue("memberId", kind === "member" ? id! : null);
    form.setValue("teamId", kind === "team" ? id! : null);
    if (form.formState.isSubmitted) void form.trigger("memberId");
  }

  function chooseCustomer(value: string) {
    const next = value === ALL_CUSTOMERS ? null : value;
    const available = levelsOn(next).map((l) => l.id);
    form.setValue("customerId", next);
    form.setValue("accessLevelIds", form.getValues("accessLevelIds").filter((id) => available.includes(id)));
  }

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      // Delegating to oneself, or to one's own team, asks for the passkey first.
      await withStepUp(() => api("createDelegation", { body: values }));
      form.reset({ ...defaults, customerId: values.customerId });
      router.refresh();
    } catch (err) {
      const field = err instanceof ApiError ? delegationFields.find((f) => f === err.field) : undefined;
      if (field && err instanceof ApiError) form.setError(field === "teamId" ? "memberId" : field, { message: withoutFieldPrefix(err.message, field) });
      else setError(err instanceof Error ? err.message : "Could not create the delegation.");
    }
  });

  const subjectError = errors.memberId?.message ?? errors.teamId?.message;
  return (
    <form onSubmit={onSubmit} className="grid gap-4" noValidate data-testid="delegation-form">
      <div className={cn("grid items-start gap-3", "customers" in scope ? "md:grid-cols-[1fr_1fr_12rem]" : "md:grid-cols-[minmax(0,24rem)_12rem]")}>
        <Field id="delegation-subject" label="Member or team" error={subjectError}>
          <Select id="delegation-subject" aria-invalid={!!subjectError} value={subject} onChange={(e) => chooseSubject(e.target.value)}>
            <option value="">Choose…</option>
            <optgroup label="Members">
              {members.map((m) => (
                <option key={m.id} value={`member:${m.id}`}>
                  {m.name} ({m.detail})
                </option>
              ))}
            </optgroup>
            {teams.length > 0 ? (
              <optgroup label="Teams">
                {teams.map((t) => (
                  <option key={t.id} value={`team:${t.id}`}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </Select>
        </Field>
        {"customers" in scope ? (
          <Field id="delegation-customer" label="Customer" error={errors.customerId?.message}>
            <Select id="delegation-customer" aria-invalid={!!errors.customerId} value={customerId ?? ALL_CUSTOMERS} onChange={(e) => chooseCustomer(e.target.value)}>
              {scope.customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.isSandbox ? `${c.name} (Sandbox — emulated tenant)` : c.name}
                </option>
              ))}
              <option value={ALL_CUSTOMERS}>All customers, now and later</option>
            </Select>
          </Field>
        ) : null}
        <Field id="delegation-duration" label="Max duration (minutes)" error={errors.maxDurationMinutes?.message} hint={durationHint(form.watch("maxDurationMinutes"))}>
          <Input id="delegation-duration" type="number" min={15} step={15} aria-invalid={!!errors.maxDurationMinutes} {...form.register("maxDurationMinutes")} />
        </Field>
      </div>
      <div className="grid gap-1.5">
        <Label>Access levels</Label>
        {availableLevels.length === 0 ? (
          <p className="text-sm text-muted-foreground">No access level is enabled on this customer yet.</p>
        ) : (
          <Controller
            control={form.control}
            name="accessLevelIds"
            render={({ field }) => (
              <CheckboxList
                idPrefix="delegation-level"
                value={field.value}
                onChange={field.onChange}
                options={availableLevels.map((l) => ({
                  value: l.id,
                  label: (
                    <>
                      {l.name}
                      {l.includesGlobalAdmin ? <Badge variant="destructive">Global Admin</Badge> : null}
                    </>
                  ),
                }))}
              />
            )}
          />
        )}
        {errors.accessLevelIds ? (
          <p role="alert" className="text-xs text-destructive">
            {errors.accessLevelIds.message ?? errors.accessLevelIds.root?.message}
          </p>
        ) : null}
      </div>
      <div>
        <Button type="submit" disabled={isSubmitting}>
          Delegate
        </Button>
      </div>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </form>
  );
}

function durationHint(minutes: unknown): string | undefined {
  const n = Number(minutes);
  return Number.isInteger(n) && n > 0 ? `At most ${formatMinutes(n)} per grant.` : undefined;
}
