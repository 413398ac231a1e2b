"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { api, ApiError } from "@/components/api/client";
import { useFormatMoment } from "@/components/time/viewer-time-zone";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import type { extendGrantInput } from "@/lib/services/grants/schemas";
import { fieldMessage } from "./field-message";

type Extension = z.input<typeof extendGrantInput>;

/** Adds minutes to a live grant, within what the customer and the delegations allow in all. */
export function ExtendGrantForm({ grantId }: { grantId: string }) {
  const router = useRouter();
  const format = useFormatMoment();
  const [extendedTo, setExtendedTo] = useState<string | null>(null);
  const form = useForm<Extension, unknown, z.output<typeof extendGrantInput>>({ resolver: lazyZodResolver(() => import("@/lib/services/grants/schemas").then((m) => m.extendGrantInput)), defaultValues: { minutes: 30 } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setExtendedTo(null);
    try {
      const extended = await api("extendGrant", { params: { grantId }, body: values });
      setExtendedTo(extended.endsAt ? `Now ends ${format(extended.endsAt)}.` : "Extended.");
      router.refresh();
    } catch (err) {
      form.setError("minutes", { message: err instanceof ApiError ? fieldMessage(err.message, "minutes") : "Could not extend the grant." });
    }
  });

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1" noValidate>
      <div className="flex items-center gap-2">
        <label htmlFor={`extend-${grantId}`} className="sr-only">Extend by (minutes)</label>
        <Input id={`extend-${grantId}`} type="number" min={5} step={5} className="w-20" aria-invalid={!!errors.minutes} {...form.register("minutes")} />
        <span className="text-sm text-muted-foreground">min</span>
        <Button type="submit" variant="outline" disabled={isSubmitting} className="max-sm:flex-1">
          Extend
        </Button>
      </div>
      {errors.minutes ? <p role="alert" className="max-w-72 text-xs text-destructive">{errors.minutes.message}</p> : null}
      {extendedTo && !errors.minutes ? <p className="text-xs text-green-700 dark:text-green-400">{extendedTo}</p> : null}
    </form>
  );
}
