"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, ApiError } from "@/components/api/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { withoutFieldPrefix } from "@/lib/format";
import type { TeamInput } from "@/lib/services/teams/schemas";

export function NewTeamForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<TeamInput>({ resolver: lazyZodResolver(() => import("@/lib/services/teams/schemas").then((m) => m.teamInput)), defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await api("createTeam", { body: values });
      form.reset();
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.field === "name") form.setError("name", { message: withoutFieldPrefix(err.message, "name") });
      else setError(err instanceof Error ? err.message : "Could not create the team.");
    }
  });

  return (
    <div className="grid gap-3">
      <form onSubmit={onSubmit} className="grid items-start gap-3 md:grid-cols-[minmax(0,20rem)_max-content]" noValidate>
        <Field id="team-name" label="New team" error={errors.name?.message}>
          <Input id="team-name" placeholder="Service desk" aria-invalid={!!errors.name} {...form.register("name")} />
        </Field>
        <Button type="submit" variant="outline" className="md:mt-5" disabled={isSubmitting}>
          Create team
        </Button>
      </form>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </div>
  );
}
