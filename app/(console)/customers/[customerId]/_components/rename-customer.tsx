"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, ApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { withoutFieldPrefix } from "@/lib/format";

type Rename = { name: string };

export function RenameCustomer({ customerId, name }: { customerId: string; name: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const form = useForm<Rename>({ resolver: lazyZodResolver(() => import("@/lib/services/customers/schemas").then((m) => m.renameCustomerInput)), defaultValues: { name } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await api("renameCustomer", { params: { customerId }, body: values });
      setEditing(false);
      router.refresh();
    } catch (err) {
      const message = err instanceof ApiError && err.field ? withoutFieldPrefix(err.message, err.field) : err instanceof Error ? err.message : "Could not rename.";
      form.setError("name", { message });
    }
  });

  if (!editing) {
    return (
      <Button variant="outline" onClick={() => setEditing(true)}>
        Rename
      </Button>
    );
  }
  return (
    <form onSubmit={onSubmit} className="grid gap-1" noValidate>
      <div className="flex flex-wrap gap-2">
        <Input aria-label="New name" className="w-full sm:w-64" autoFocus aria-invalid={!!errors.name} {...form.register("name")} />
        <Button type="submit" disabled={isSubmitting}>
          Save name
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            form.reset({ name });
            setEditing(false);
          }}
        >
          Cancel
        </Button>
      </div>
      {errors.name ? (
        <p role="alert" className="text-xs text-destructive">
          {errors.name.message}
        </p>
      ) : null}
    </form>
  );
}
