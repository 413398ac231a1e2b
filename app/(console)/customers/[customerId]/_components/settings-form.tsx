"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { api, ApiError } from "@/components/api/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field, Label } from "@/components/ui/label";
import { lazyZodResolver } from "@/components/forms/lazy-zod-resolver";
import { withoutFieldPrefix } from "@/lib/format";
import { signInMethodLabels, signInMethods } from "@/lib/vocabulary/sign-in-methods";
import type { customerSettingsInput, CustomerSettingsInput } from "@/lib/services/customers/schemas";
import { ExpiryActionsEditor } from "./expiry-actions-editor";

type Settings = z.output<typeof customerSettingsInput>;
type Props = {
  customerId: string;
  settings: Settings;
  /** The connected tenant's verified domains; null while the customer is not connected. */
  verifiedDomains: string[] | null;
  readOnly: boolean;
  /** IANA zones for the select, computed on the server so the page hydrates with the same list. */
  timeZones: string[];
};

const settingsFields = ["upnDomain", "namingTemplate", "defaultDurationMinutes", "maxDurationMinutes", "usageLocation", "signInMethod", "expiryActions", "consentText", "timeZone"] as const;

function inHours(minutes: unknown): string | undefined {
  const n = Number(minutes);
  return Number.isInteger(n) && n > 0 ? `${n} min = ${Number((n / 60).toFixed(2))} h` : undefined;
}

function upnDomainHint(connected: boolean, saved: string | null): string {
  if (connected) return "JIT accounts are created with user principal names in this domain.";
  if (saved) return `Saving clears ${saved} until the customer's Entra ID is connected again.`;
  return "Connect the customer's Entra ID to choose one of its verified domains.";
}

export function SettingsForm({ customerId, settings, verifiedDomains, readOnly, timeZones }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<CustomerSettingsInput, unknown, Settings>({
    resolver: lazyZodResolver(() => import("@/lib/services/customers/schemas").then((m) => m.customerSettingsInput)),
    defaultValues: { ...settings, upnDomain: verifiedDomains ? settings.upnDomain : null },
  });
  const { errors, isSubmitting } = form.formState;
  const domains = verifiedDomains ? [...new Set([...(settings.upnDomain ? [settings.upnDomain] : []), ...verifiedDomains])] : [];

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    setSaved(false);
    try {
      await api("updateCustomerSettings", { params: { customerId }, body: values });
      form.reset(values);
      setSaved(true);
      router.refresh();
    } catch (err) {
      const field = err instanceof ApiError ? settingsFields.find((f) => err.field === f || err.field?.startsWith(`${f}.`)) : undefined;
      if (field && err instanceof ApiError) form.setError(field, { message: withoutFieldPrefix(err.message, err.field!) });
      else setError(err instanceof Error ? err.message : "Could not save the settings.");
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate data-testid="settings-form">
      <fieldset disabled={readOnly} className="grid gap-4 md:grid-cols-2">
        <Field
          id="upn-domain"
          label="UPN domain"
          error={errors.upnDomain?.message}
          hint={upnDomainHint(verifiedDomains !== null, settings.upnDomain)}
        >
          {verifiedDomains ? (
            <Select id="upn-domain" aria-invalid={!!errors.upnDomain} {...form.register("upnDomain", { setValueAs: (v: string | null) => v || null })}>
              <option value="">Not chosen</option>
              {domains.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </Select>
          ) : (
            <Select id="upn-domain" disabled>
              <option>Not connected</option>
            </Select>
          )}
        </Field>
        <Field id="naming-template" label="Naming template" error={errors.namingTemplate?.message} hint="Placeholders: {technician}, {grant} (required), {customer}.">
          <Input id="naming-template" className="font-mono" aria-invalid={!!errors.namingTemplate} {...form.register("namingTemplate")} />
        </Field>
        <Field id="default-duration" label="Default duration (minutes)" error={errors.defaultDurationMinutes?.message} hint={inHours(form.watch("defaultDurationMinutes"))}>
          <Input id="default-duration" type="number" min={15} step={15} aria-invalid={!!errors.defaultDurationMinutes} {...form.register("defaultDurationMinutes")} />
        </Field>
        <Field id="max-duration" label="Maximum duration (minutes)" error={errors.maxDurationMinutes?.message} hint={inHours(form.watch("maxDurationMinutes"))}>
          <Input id="max-duration" type="number" min={15} step={15} aria-invalid={!!errors.maxDurationMinutes} {...form.register("maxDurationMinutes")} />
        </Field>
        <Field id="usage-location" label="Usage location" error={errors.usageLocation?.message} hint="Two-letter country code (ISO 3166), e.g. US or DE.">
          <Input id="usage-location" className="w-24 uppercase" maxLength={2} aria-invalid={!!errors.usageLocation} {...form.register("usageLocation")} />
        </Field>
        <Field
          id="sign-in-method"
          label="Sign-in method"
          error={errors.signInMethod?.message}
          hint="A Temporary Access Pass passes the MFA Microsoft demands on its admin portals; use password only where the tenant cannot issue passes."
        >
          <Select id="sign-in-method" aria-invalid={!!errors.signInMethod} {...form.register("signInMethod")}>
            {signInMethods.map((m) => (
              <option key={m} value={m}>
                {signInMethodLabels[m]}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="time-zone" label="Time zone" error={errors.timeZone?.message} hint="The hours of access policies for this customer are read in this zone.">
          <Select id="time-zone" aria-invalid={!!errors.timeZone} {...form.register("timeZone")}>
            {timeZones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </Select>
        </Field>
        <div className="grid content-start gap-1.5 md:col-span-2">
          <Label>When access ends</Label>
          <p className="text-xs text-muted-foreground">Ticked steps run in this order; each is verified by reading Microsoft Graph back.</p>
          <Controller
            control={form.control}
            name="expiryActions"
            render={({ field }) => <ExpiryActionsEditor value={field.value} onChange={field.onChange} invalid={!!errors.expiryActions} />}
          />
          {errors.expiryActions ? (
            <p role="alert" className="text-xs text-destructive">
              {errors.expiryActions.message ?? errors.expiryActions.root?.message}
            </p>
          ) : null}
        </div>
        <div className="md:col-span-2">
          <Field id="consent-text" label="Consent text" error={errors.consentText?.message} hint="Shown to technicians before they request access here. Leave empty for none.">
            <textarea
              id="consent-text"
              rows={3}
              aria-invalid={!!errors.consentText}
              className="w-full rounded-md border border-border bg-background px-3 py-2 text-sm shadow-xs placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/40 disabled:opacity-50 aria-[invalid=true]:border-destructive max-md:text-base"
              {...form.register("consentText", { setValueAs: (v: string | null) => (v && v.trim() ? v : null) })}
            />
          </Field>
        </div>
        {readOnly ? null : (
          <div className="flex items-center gap-3 md:col-span-2">
            <Button type="submit" disabled={isSubmitting}>
              Save settings
            </Button>
            {saved ? <span className="text-sm text-success">Saved.</span> : null}
          </div>
        )}
        {error ? <Alert variant="error" className="md:col-span-2">{error}</Alert> : null}
      </fieldset>
    </form>
  );
}
