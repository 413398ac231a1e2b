"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { api, ApiError } from "@/components/api/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field, Label } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { withoutFieldPrefix } from "@/lib/format";
import type { CatalogRole } from "@/lib/services/access-levels/catalog";
import type { accessLevelInput, AccessLevelInput } from "@/lib/services/access-levels/schemas";
import { RoleChecklist } from "./role-checklist";

type AccessLevel = z.output<typeof accessLevelInput>;
type Props = { catalog: CatalogRole[]; level?: AccessLevel & { id: string }; onDone?: () => void };

const levelFields = ["name", "description", "roleTemplateIds"] as const;

/** Creates an access level, or edits the one given. */
export function AccessLevelForm({ catalog, level, onDone }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const idPrefix = level ? `level-${level.id}` : "new-level";
  const form = useForm<AccessLevelInput, unknown, AccessLevel>({
    resolver: lazyZodResolver(() => import("@/lib/services/access-levels/schemas").then((m) => m.accessLevelInput)),
    defaultValues: level
      ? { name: level.name, description: level.description, roleTemplateIds: level.roleTemplateIds, privileged: level.privileged }
      : { name: "", description: "", roleTemplateIds: [], privileged: false },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      if (level) await api("updateAccessLevel", { params: { accessLevelId: level.id }, body: values });
      else await api("createAccessLevel", { body: values });
      form.reset(level ? values : undefined);
      onDone?.();
      router.refresh();
    } catch (err) {
      const field = err instanceof ApiError ? levelFields.find((f) => err.field === f || err.field?.startsWith(`${f}.`)) : undefined;
      if (field && err instanceof ApiError) form.setError(field, { message: withoutFieldPrefix(err.message, err.field!) });
      else setError(err instanceof Error ? err.message : "Could not save the access level.");
    }
  });

  return (
    <form onSubmit={onSubmit} className="grid gap-4" noValidate data-testid={level ? `edit-${level.id}` : "new-access-level"}>
      <div className="grid items-start gap-3 md:grid-cols-[minmax(0,18rem)_1fr]">
        <Field id={`${idPrefix}-name`} label="Name" error={errors.name?.message}>
          <Input id={`${idPrefix}-name`} placeholder="Helpdesk" aria-invalid={!!errors.name} {...form.register("name")} />
        </Field>
        <Field id={`${idPrefix}-description`} label="Description" error={errors.description?.message}>
          <Input id={`${idPrefix}-description`} placeholder="Password resets and user changes" aria-invalid={!!errors.description} {...form.register("description")} />
        </Field>
      </div>
      <div className="grid gap-1.5">
        <Label>Directory roles</Label>
        <Controller
          control={form.control}
          name="roleTemplateIds"
          render={({ field }) => <RoleChecklist catalog={catalog} value={field.value} onChange={field.onChange} idPrefix={idPrefix} />}
        />
        {errors.roleTemplateIds ? (
          <p role="alert" className="text-xs text-destructive">
            {errors.roleTemplateIds.message ?? errors.roleTemplateIds.root?.message}
          </p>
        ) : null}
      </div>
      <label className="flex items-center gap-2 text-sm max-md:min-h-11">
        <input type="checkbox" className="h-4 w-4 accent-primary" {...form.register("privileged")} />
        Privileged — access policies can ask for approval of privileged levels only
      </label>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {level ? "Save changes" : "Create access level"}
        </Button>
        {onDone ? (
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        ) : null}
      </div>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </form>
  );
}
