import { z } from "zod";
import { outboundUrl } from "@/lib/validation/outbound-url";

/** A base URL without trailing slashes, query or fragment: paths are appended to it. */
const baseUrl = outboundUrl
  .refine((v) => !new URL(v).search && !new URL(v).hash, "Enter the address without ? or #.")
  .transform((v) => v.replace(/\/+$/, ""));
const secret = (label: string) => z.string().trim().min(1, `Enter the ${label}.`).max(500);

/** HaloPSA: an API application (client credentials) of the instance at `baseUrl`; `tenant` for hosted instances. */
export const haloSettingsSchema = z.object({
  kind: z.literal("halopsa"),
  baseUrl,
  clientId: secret("client ID"),
  clientSecret: secret("client secret"),
  tenant: z.string().trim().max(100).transform((v) => v || undefined).optional(),
});

/** ConnectWise PSA: an API member's keys on the site at `siteUrl`, and the integration's registered clientId. */
export const connectWiseSettingsSchema = z.object({
  kind: z.literal("connectwise"),
  siteUrl: baseUrl,
  companyId: secret("company ID"),
  publicKey: secret("public key"),
  privateKey: secret("private key"),
  clientId: secret("client ID"),
});

export const psaSettingsSchema = z.discriminatedUnion("kind", [haloSettingsSchema, connectWiseSettingsSchema]);

export type HaloSettings = z.output<typeof haloSettingsSchema>;
export type ConnectWiseSettings = z.output<typeof connectWiseSettingsSchema>;
export type PsaSettings = z.output<typeof psaSettingsSchema>;
export type PsaSettingsInput = z.input<typeof psaSettingsSchema>;
