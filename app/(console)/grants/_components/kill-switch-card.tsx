"use client";

import { OctagonX } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, ApiError } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { withoutFieldPrefix } from "@/lib/format";

type KillSwitch = { customerId: string; reason: string };
const WHOLE_MSP = "";

/** Ends every live grant of one customer or of the whole MSP at once, after a confirm and a fresh passkey check. */
export function KillSwitchCard({ customers }: { customers: { id: string; name: string }[] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<KillSwitch>({ defaultValues: { customerId: WHOLE_MSP, reason: "" } });
  const { errors, isSubmitting } = form.formState;
  const target = customers.find((c) => c.id === form.watch("customerId"))?.name ?? "all customers of the MSP";

  const onSubmit = form.handleSubmit(async ({ customerId, reason }) => {
    setOutcome(null);
    setError(null);
    if (!window.confirm(`End every live grant of ${target} now? Technicians lose their access at once.`)) return;
    try {
      const body = { reason, ...(customerId ? { customerId } : {}) };
      const { ended } = await withStepUp(() => api("pullKillSwitch", { body }));
      setOutcome(`${ended} ${ended === 1 ? "grant" : "grants"} of ${target} ended.`);
      form.reset({ customerId, reason: "" });
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.field === "reason") form.setError("reason", { message: withoutFieldPrefix(err.message, "reason") });
      else setError(err instanceof Error ? err.message : "The kill switch did not work.");
    }
  });

  return (
    <Card className="border-red-200 dark:border-red-900">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-destructive">
          <OctagonX className="h-5 w-5" /> Kill switch
        </CardTitle>
        <CardDescription>Ends every live grant at once: scheduled ones are cancelled, active ones lose their roles and are disabled. Needs your passkey.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate data-testid="kill-switch">
          <div className="grid items-start gap-3 md:grid-cols-[16rem_1fr]">
            <Field id="kill-customer" label="Scope">
              <Select id="kill-customer" {...form.register("customerId")}>
                <option value={WHOLE_MSP}>All customers of the MSP</option>
                {customers.map((c) => (
                  <option key={c.id} value={c.id}>{c.name}</option>
                ))}
              </Select>
            </Field>
            <Field id="kill-reason" label="Reason" error={errors.reason?.message}>
              <Input id="kill-reason" placeholder="e.g. Suspected compromise of a technician laptop" aria-invalid={!!errors.reason} {...form.register("reason")} />
            </Field>
          </div>
          <div>
            <Button type="submit" variant="destructive" size="lg" disabled={isSubmitting} className="max-sm:h-auto max-sm:min-h-11 max-sm:w-full max-sm:whitespace-normal max-sm:py-2">
              {isSubmitting ? "Ending access…" : `End all access: ${target}`}
            </Button>
          </div>
          {outcome ? <Alert variant="success" data-testid="kill-switch-result">{outcome}</Alert> : null}
          {error ? <Alert variant="error">{error}</Alert> : null}
        </form>
      </CardContent>
    </Card>
  );
}
