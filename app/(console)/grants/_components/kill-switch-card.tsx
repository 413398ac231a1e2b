"use client";

import { OctagonX } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { api, ApiError, type OutputOf } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { withoutFieldPrefix } from "@/lib/format";
import type { killSwitchInput } from "@/lib/services/grants/schemas";

type KillSwitch = z.input<typeof killSwitchInput>;
type Asking = { input: z.output<typeof killSwitchInput>; preview: OutputOf<"previewKillSwitch"> };
const WHOLE_MSP = "";

const grantCount = (n: number) => `${n} live ${n === 1 ? "grant" : "grants"}`;

/**
 * Ends every live grant of one customer or of the whole MSP at once. The reason is checked first, then the
 * question says what would end where; confirming asks for a fresh passkey check.
 */
export function KillSwitchCard({ customers }: { customers: { id: string; name: string }[] }) {
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const form = useForm<KillSwitch, unknown, z.output<typeof killSwitchInput>>({
    resolver: lazyZodResolver(() => import("@/lib/services/grants/schemas").then((m) => m.killSwitchInput)),
    defaultValues: { customerId: WHOLE_MSP, reason: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const target = customers.find((c) => c.id === form.watch("customerId"))?.name ?? "all customers of the MSP";

  const onSubmit = form.handleSubmit(async ({ customerId, reason }) => {
    setOutcome(null);
    setError(null);
    const input = { reason, ...(customerId ? { customerId } : {}) };
    try {
      setAsking({ input, preview: await api("previewKillSwitch", { body: input }) });
    } catch (err) {
      if (err instanceof ApiError && err.field === "reason") form.setError("reason", { message: withoutFieldPrefix(err.message, "reason") });
      else setError(err instanceof Error ? err.message : "The kill switch did not work.");
    }
  });

  const pull = async ({ input }: Asking) => {
    const { ended } = await withStepUp(() => api("pullKillSwitch", { body: input }));
    setOutcome(`${ended} ${ended === 1 ? "grant" : "grants"} of ${target} ended.`);
    form.reset({ customerId: input.customerId ?? WHOLE_MSP, reason: "" });
  };

  return (
    <Card className="border-red-200 dark:border-red-900">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-destructive">
          <OctagonX className="h-5 w-5" /> Kill switch
        </CardTitle>
        <CardDescription>Ends every live grant at once: scheduled ones are cancelled, active ones lose their roles and are disabled. Technicians read your reason on their grant. Needs your passkey.</CardDescription>
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
              {`End all access: ${target}`}
            </Button>
          </div>
          {outcome ? <Alert variant="success" data-testid="kill-switch-result">{outcome}</Alert> : null}
          {error ? <Alert variant="error">{error}</Alert> : null}
        </form>
        <ConfirmDialog
          open={asking !== null}
          onClose={() => setAsking(null)}
          data-testid="kill-switch-dialog"
          title={`End every live grant of ${target} now?`}
          description={asking ? <KillSwitchPreview {...asking} /> : null}
          confirmLabel={asking?.preview.total ? `End ${grantCount(asking.preview.total)}` : "Pull the kill switch"}
          busyLabel="Ending access…"
          onConfirm={() => pull(asking!)}
        />
      </CardContent>
    </Card>
  );
}

function KillSwitchPreview({ input, preview }: Asking) {
  return (
    <div className="grid gap-2">
      {preview.total === 0 ? (
        <p>No grant is live there right now; nothing would end.</p>
      ) : (
        <>
          <p>
            {grantCount(preview.total)} {preview.total === 1 ? "ends" : "end"} at once; their technicians lose their access and read your reason on their grant:
          </p>
          <ul className="grid gap-0.5 text-foreground" data-testid="kill-switch-preview">
            {preview.customers.map((c) => (
              <li key={c.id}>
                {c.name}: {grantCount(c.grants)}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        Reason: <span className="text-foreground">“{input.reason}”</span>
      </p>
    </div>
  );
}
