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

type NewCustomer = { name: string };

export function NewCustomerForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<NewCustomer>({ resolver: lazyZodResolver(() => import("@/lib/services/customers/schemas").then((m) => m.createCustomerInput)), defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const created = await api("createCustomer", { body: values });
      router.push(`/customers/${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.field === "name") form.setError("name", { message: withoutFieldPrefix(err.message, "name") });
      else setError(err instanceof Error ? err.message : "Could not create the customer.");
    }
  });

  return (
    <div className="grid gap-3">
      <form onSubmit={onSubmit} className="grid items-start gap-3 md:grid-cols-[minmax(0,24rem)_max-content]" noValidate>
        <Field id="customer-name" label="Name" error={errors.name?.message}>
          <Input id="customer-name" placeholder="Contoso Ltd" aria-invalid={!!errors.name} {...form.register("name")} />
        </Field>
        <Button type="submit" className="md:mt-5" disabled={isSubmitting}>
          Create customer
        </Button>
      </form>
      {error ? <Alert variant="error">{error}</Alert> : null}
    </div>
  );
}
