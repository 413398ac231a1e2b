"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { ApiError } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { useViewerTimeZone } from "@/components/time/viewer-time-zone";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field, Label } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { formatMinutes } from "@/lib/format";
import type { requestGrantInput, RequestGrantInput } from "@/lib/services/grants/schemas";
import { momentFromDateTimeInput } from "@/lib/time/zoned-input";
import { CheckboxList } from "../../../delegations/_components/checkbox-list";
import { fieldMessage } from "../../_components/field-message";
import { HookQuestions, type PendingQuestions } from "./hook-questions";
import { GrantRequestRefused, submitGrantRequest, type RefusalReason } from "./submit-grant-request";
import { PolicyDemandsPanel } from "./policy-demands";
import { maxDurationOf, useCustomerOffer, type CustomerOffer } from "./use-customer-offer";
import { usePolicyDemands } from "./use-policy-demands";
import { whoDelegates, type Delegator } from "./who-delegates";

type GrantRequest = z.output<typeof requestGrantInput>;
type CustomerOption = { id: string; name: string; isSandbox: boolean; connected: boolean };
type Props = { customers: CustomerOption[]; liveGrants: { id: string; customerId: string }[]; initialCustomerId: string; delegators: readonly Delegator[] };

const requestFields = ["customerId", "accessLevelIds", "durationMinutes", "justification", "ticketRef", "startAt", "consentAccepted", "emergency"] as const;
const textareaClass =
  "w-full rounded-md border border-border bg-background px-3 py-2 text-sm shadow-xs placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/40 aria-[invalid=true]:border-destructive max-md:text-base";

/** datetime-local has no zone: the form means the viewer's, as the label says. */
const startFromInput = (value: string, zone: string) => momentFromDateTimeInput(value, zone) ?? undefined;

function defaultDurationOf(offer: CustomerOffer): number {
  return Math.min(offer.customer.defaultDurationMinutes, maxDurationOf(offer, []));
}

function customerLabel(c: CustomerOption): string {
  return `${c.name}${c.isSandbox ? " (Sandbox — emulated tenant)" : ""}${c.connected ? "" : " — Entra ID not connected"}`;
}

function fieldOf(reason: RefusalReason) {
  return requestFields.find((f) => reason.field === f || reason.field?.startsWith(`${f}.`));
}

function ExistingAccessNotice({ grantId, customerName }: { grantId: string; customerName: string }) {
  return (
    <Alert variant="warning" data-testid="existing-grant">
      You already have access to {customerName} —{" "}
      <Link href={`/access#grant-${grantId}`} className="font-medium underline">
        extend it
      </Link>{" "}
      instead of requesting again.
    </Alert>
  );
}

export function RequestForm({ customers, liveGrants, initialCustomerId, delegators }: Props) {
  const router = useRouter();
  const zone = useViewerTimeZone();
  const [problems, setProblems] = useState<string[]>([]);
  const [conflictGrantId, setConflictGrantId] = useState<string | null>(null);
  const [asked, setAsked] = useState<PendingQuestions | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const form = useForm<RequestGrantInput, unknown, GrantRequest>({
    resolver: lazyZodResolver(() => import("@/lib/services/grants/schemas").then((m) => m.requestGrantInput)),
    defaultValues: { customerId: initialCustomerId, accessLevelIds: [], durationMinutes: 60, justification: "", ticketRef: "", consentAccepted: false, emergency: false },
  });
  const { errors, isSubmitting } = form.formState;
  const customerId = form.watch("customerId");
  const chosenLevels = form.watch("accessLevelIds");
  const { offer, loading, error: offerError } = useCustomerOffer(customerId);
  const demands = usePolicyDemands(customerId, chosenLevels);
  const emergency = form.watch("emergency");

  useEffect(() => {
    if (!offer) return;
    form.setValue("durationMinutes", defaultDurationOf(offer));
    // A single level on offer is the one being asked for.
    const [only, ...others] = offer.accessLevels;
    if (only && others.length === 0 && form.getValues("accessLevelIds").length === 0) form.setValue("accessLevelIds", [only.accessLevelId]);
  }, [offer, form]);

  const customerName = customers.find((c) => c.id === customerId)?.name ?? "this customer";
  const existingGrantId = conflictGrantId ?? liveGrants.find((g) => g.customerId === customerId)?.id ?? null;
  const maxDuration = offer ? Math.min(maxDurationOf(offer, chosenLevels), demands?.maxDurationMinutes ?? Infinity) : null;
  const consentText = demands ? demands.consentText : (offer?.customer.consentText ?? null);

  // The policy's limit pre-fills the duration when it is stricter than what is entered.
  useEffect(() => {
    const limit = demands?.maxDurationMinutes;
    if (limit && Number(form.getValues("durationMinutes")) > limit) form.setValue("durationMinutes", limit);
  }, [demands, form]);

  function chooseCustomer(id: string) {
    form.reset({ ...form.getValues(), customerId: id, accessLevelIds: [], consentAccepted: false });
    setProblems([]);
    setConflictGrantId(null);
    setAsked(null);
  }

  const onSubmit = form.handleSubmit(async (values) => {
    setProblems([]);
    setConflictGrantId(null);
    try {
      // A policy may ask for a passkey at request: the server says so, and the request is sent again after it.
      const hookReply = asked ? { conversationId: asked.conversationId, answers } : undefined;
      const created = await withStepUp(() => submitGrantRequest({ ...values, ticketRef: values.ticketRef ?? undefined, hookReply }));
      router.push(`/access#grant-${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === "needs_info") {
        setAsked({ ...(err.details as Omit<PendingQuestions, "message">), message: err.message });
        setAnswers({});
        return;
      }
      setAsked(null);
      if (!(err instanceof GrantRequestRefused)) {
        setProblems([err instanceof Error ? err.message : "Could not send the request."]);
        return;
      }
      setConflictGrantId(err.existingGrantId ?? null);
      const reasons = err.reasons.length ? err.reasons : [{ code: err.code, message: err.message, field: err.field }];
      const unplaced: string[] = [];
      for (const reason of reasons) {
        const field = fieldOf(reason);
        if (field) form.setError(field, { message: fieldMessage(reason.message, reason.field!) });
        else if (!err.existingGrantId || reason.code !== "live_grant_exists") unplaced.push(reason.message);
      }
      setProblems(unplaced);
    }
  });

  return (
    <form onSubmit={onSubmit} className="grid gap-5" noValidate data-testid="request-form">
      <Field id="request-customer" label="Customer" error={errors.customerId?.message}>
        <Select id="request-customer" className="max-w-md" aria-invalid={!!errors.customerId} value={customerId} onChange={(e) => chooseCustomer(e.target.value)}>
          <option value="">Choose a customer…</option>
          {customers.map((c) => (
            <option key={c.id} value={c.id} disabled={!c.connected}>
              {customerLabel(c)}
            </option>
          ))}
        </Select>
      </Field>
      {existingGrantId ? <ExistingAccessNotice grantId={existingGrantId} customerName={customerName} /> : null}
      {offerError ? <Alert variant="error">{offerError}</Alert> : null}
      <div className="grid gap-1.5">
        <Label>Access levels</Label>
        {!customerId ? <p className="text-sm text-muted-foreground">Choose a customer first.</p> : null}
        {loading ? <p className="text-sm text-muted-foreground">Loading what you may request…</p> : null}
        {offer && offer.accessLevels.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="no-level-offered">
            Nothing delegated to you is enabled on {offer.customer.name}. Ask {whoDelegates(delegators)} to delegate an access level on {offer.customer.name} to you, or to enable
            one of yours there.
          </p>
        ) : null}
        {offer && offer.accessLevels.length > 0 ? (
          <Controller
            control={form.control}
            name="accessLevelIds"
            render={({ field }) => (
              <CheckboxList
                idPrefix="request-level"
                value={field.value}
                onChange={field.onChange}
                options={offer.accessLevels.map((l) => ({
                  value: l.accessLevelId,
                  label: (
                    <>
                      <span className="font-medium">{l.name}</span>
                      <span className="text-xs text-muted-foreground">
                        {l.roleNames.join(", ")} · up to {formatMinutes(l.maxDurationMinutes)}
                      </span>
                    </>
                  ),
                }))}
              />
            )}
          />
        ) : null}
        {errors.accessLevelIds ? (
          <p role="alert" className="text-xs text-destructive">
            {errors.accessLevelIds.message ?? errors.accessLevelIds.root?.message}
          </p>
        ) : null}
      </div>
      <div className="grid items-start gap-4 md:grid-cols-2">
        <Field
          id="request-duration"
          label="Duration (minutes)"
          error={errors.durationMinutes?.message}
          hint={offer && maxDuration ? `Up to ${formatMinutes(maxDuration)} here: the stricter of the customer's limit (${formatMinutes(offer.customer.maxDurationMinutes)}) and your delegation wins.` : undefined}
        >
          <Input id="request-duration" type="number" min={15} step={15} max={maxDuration ?? undefined} aria-invalid={!!errors.durationMinutes} {...form.register("durationMinutes")} />
        </Field>
        <Field id="request-start" label={`Start (${zone}, optional)`} error={errors.startAt?.message} hint={`Leave empty to start now. The time you enter is ${zone} time (Your account sets the zone).`}>
          <Input id="request-start" type="datetime-local" aria-invalid={!!errors.startAt} {...form.register("startAt", { setValueAs: (value: string) => startFromInput(value, zone) })} />
        </Field>
      </div>
      <Field id="request-justification" label="Justification" error={errors.justification?.message} hint="What you will do and why; it is recorded with the grant and in the audit log.">
        <textarea id="request-justification" rows={3} className={textareaClass} aria-invalid={!!errors.justification} {...form.register("justification")} />
      </Field>
      <div className="max-w-md">
        <Field id="request-ticket" label={demands?.ticketRequired ? "Ticket reference (required)" : "Ticket reference (optional)"} error={errors.ticketRef?.message}>
          <Input id="request-ticket" placeholder="e.g. INC-10423" aria-invalid={!!errors.ticketRef} {...form.register("ticketRef")} />
        </Field>
      </div>
      {demands ? <PolicyDemandsPanel demands={demands} /> : null}
      {demands?.approvalRequired && demands.emergencyAllowed ? (
        <label className="flex items-start gap-2 text-sm max-md:min-h-11" data-testid="emergency">
          <input type="checkbox" className="mt-0.5 h-4 w-4 accent-primary" {...form.register("emergency")} />
          <span>
            <span className="font-medium">Emergency (break glass)</span>: skip the approval. Everyone who may approve is told, and they review it afterwards.
          </span>
        </label>
      ) : null}
      {offer && consentText ? (
        <div className="grid gap-2 rounded-md border border-border bg-muted/40 p-4" data-testid="consent">
          <Label>{offer.customer.name}&apos;s terms</Label>
          <p className="whitespace-pre-wrap text-sm">{consentText}</p>
          <label className="flex items-center gap-2 text-sm font-medium max-md:min-h-11">
            <input type="checkbox" className="h-4 w-4 accent-primary" aria-invalid={!!errors.consentAccepted} {...form.register("consentAccepted")} />I accept
          </label>
          {errors.consentAccepted ? <p role="alert" className="text-xs text-destructive">{errors.consentAccepted.message}</p> : null}
        </div>
      ) : null}
      {asked ? <HookQuestions pending={asked} answers={answers} onChange={(key, value) => setAnswers((a) => ({ ...a, [key]: value }))} /> : null}
      {problems.length ? (
        <Alert variant="error">
          {problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </Alert>
      ) : null}
      <div>
        <Button type="submit" disabled={isSubmitting || !offer}>
          {isSubmitting ? "Requesting…" : asked ? "Send answers" : demands?.approvalRequired && !emergency ? "Ask for approval" : "Request access"}
        </Button>
      </div>
    </form>
  );
}
