"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, ApiError } from "@/components/api/client";
import { registerPasskey } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import type { SetupInput } from "@/lib/services/setup/schemas";

export function SetupForm() {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SetupInput>({ resolver: lazyZodResolver(() => import("@/lib/services/setup/schemas").then((m) => m.setupInput)), defaultValues: { setupCode: "", mspName: "", ownerName: "", ownerEmail: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const result = await registerPasskey(() => api("startSetup", { body: values }), (credential) => api("completeSetup", { body: credential }));
      window.location.assign(result.redirectTo);
    } catch (err) {
      if (err instanceof ApiError && err.field === "setupCode") form.setError("setupCode", { message: err.message });
      else setError(err instanceof Error ? err.message : "Setup failed.");
    }
  });

  return (
    <form onSubmit={onSubmit} className="grid gap-4" noValidate>
      <Field
        id="setupCode"
        label="Setup code"
        error={errors.setupCode?.message}
        hint="Printed by npm start in its terminal, also in .data/setup-code on the machine running Stint. It proves you run this installation."
      >
        <Input
          id="setupCode"
          autoComplete="off"
          spellCheck={false}
          className="font-mono uppercase tracking-wider"
          aria-invalid={!!errors.setupCode}
          {...form.register("setupCode")}
        />
      </Field>
      <Field id="mspName" label="MSP name" error={errors.mspName?.message}>
        <Input id="mspName" autoComplete="organization" aria-invalid={!!errors.mspName} {...form.register("mspName")} />
      </Field>
      <Field id="ownerName" label="Your name" error={errors.ownerName?.message}>
        <Input id="ownerName" autoComplete="name" aria-invalid={!!errors.ownerName} {...form.register("ownerName")} />
      </Field>
      <Field id="ownerEmail" label="Your work email" error={errors.ownerEmail?.message} hint="Identifies you to your team; Stint sends no email.">
        <Input id="ownerEmail" type="email" autoComplete="email" aria-invalid={!!errors.ownerEmail} {...form.register("ownerEmail")} />
      </Field>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <Button type="submit" size="lg" disabled={isSubmitting}>
        {isSubmitting ? "Waiting for your passkey…" : "Create MSP and register passkey"}
      </Button>
    </form>
  );
}
