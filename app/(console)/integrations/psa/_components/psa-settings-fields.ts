import type { PsaKind } from "@/lib/psa/types";

export type SettingsField = { key: string; label: string; hint?: string; secret?: boolean; optional?: boolean; placeholder?: string };

/** The settings each PSA asks for (lib/psa/settings.ts), with where an admin finds them. The first is its address. */
export const psaSettingsFields: Record<PsaKind, SettingsField[]> = {
  halopsa: [
    { key: "baseUrl", label: "Resource server URL", placeholder: "https://msp.halopsa.com", hint: "Halo's Configuration → Integrations → HaloPSA API: the Resource Server." },
    { key: "clientId", label: "Client ID", hint: "An API application with Client ID and Secret (Services) authentication and the “all” scope." },
    { key: "clientSecret", label: "Client secret", secret: true },
    { key: "tenant", label: "Tenant", optional: true, hint: "Only for hosted instances that name one." },
  ],
  connectwise: [
    { key: "siteUrl", label: "Site URL", placeholder: "https://api-na.myconnectwise.net", hint: "Your ConnectWise site's API address." },
    { key: "companyId", label: "Company ID", hint: "The company you sign in to ConnectWise with." },
    { key: "publicKey", label: "Public key", hint: "An API member's keys (System → Members → API Members)." },
    { key: "privateKey", label: "Private key", secret: true },
    { key: "clientId", label: "Client ID", hint: "Your integration's clientId from the ConnectWise developer portal." },
  ],
};
