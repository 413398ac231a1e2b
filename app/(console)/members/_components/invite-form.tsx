"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, ApiError } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { roleLabels } from "@/lib/auth/permissions";
import type { CreateInviteInput } from "@/lib/services/invites/schemas";
import { OneTimeLink } from "./one-time-link";

export function InviteForm({ assignableRoles }: { assignableRoles: MemberRole[] }) {
  const router = useRouter();
  const [result, setResult] = useState<{ link: string; email: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CreateInviteInput>({
    resolver: lazyZodResolver(() => import("@/lib/services/invites/schemas").then((m) => m.createInviteInput)),
    defaultValues: { email: "", displayName: "", role: "technician" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      // Inviting an admin or owner asks for the passkey first.
      const created = await withStepUp(() => api("createInvite", { body: values }));
      setResult(created);
      form.reset();
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.field) form.setError(err.field as keyof CreateInviteInput, { message: err.message });
      else setError(err instanceof Error ? err.message : "Could not create the invite.");
    }
  });

  return (
    <div className="grid gap-4">
      <form onSubmit={onSubmit} className="grid items-start gap-3 md:grid-cols-[1fr_1fr_12rem_auto]" noValidate>
        <Field id="invite-name" label="Name" error={errors.displayName?.message}>
          <Input id="invite-name" aria-invalid={!!errors.displayName} {...form.register("displayName")} />
        </Field>
        <Field id="invite-email" label="Email" error={errors.email?.message}>
          <Input id="invite-email" type="email" aria-invalid={!!errors.email} {...form.register("email")} />
        </Field>
        <Field id="invite-role" label="Role">
          <Select id="invite-role" {...form.register("role")}>
            {assignableRoles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" className="md:mt-5" disabled={isSubmitting}>
          Create invite link
        </Button>
      </form>
      {error ? <Alert variant="error">{error}</Alert> : null}
      {result ? <OneTimeLink link={result.link} who={result.email} /> : null}
    </div>
  );
}
