import type { ApplicationPermission } from "./catalog/permissions";
import type { EmulatorControl } from "./control/control";

/** Fixed identifiers, so a start script can point Stint at the sandbox without reading anything back. */
export const sandboxIdentity = {
  tenantId: "8b1f3c52-7e4d-4a9b-9c6e-2d5f0a1b3c4d",
  tenantDomain: "contoso-sandbox.onmicrosoft.com",
  clientId: "c6a8e1f0-3b2d-4e5f-8a7b-9c0d1e2f3a4b",
  clientSecret: "stint-sandbox-secret-emulator-only",
} as const;

/** The sandbox's HaloPSA: base URL `{emulator}/halo/sandbox`, an API application with these credentials. */
export const sandboxPsa = {
  halo: {
    instance: "sandbox",
    clientId: "stint-sandbox-halo-client",
    clientSecret: "stint-sandbox-halo-secret-emulator-only",
  },
} as const;

/**
 * What Stint asks for: JIT users, their roles, permanent deletion, the tenant's domains and name, the JIT accounts'
 * Temporary Access Passes and the tenant's TAP policy.
 */
export const stintPermissions: ApplicationPermission[] = [
  "User.ReadWrite.All",
  "User.DeleteRestore.All",
  "RoleManagement.ReadWrite.Directory",
  "Domain.Read.All",
  "Organization.Read.All",
  "UserAuthMethod-TAP.ReadWrite.All",
  "Policy.Read.AuthenticationMethod",
];

export interface SandboxOptions {
  /** Stint's admin-consent callback URL(s). */
  redirectUris: string[];
  /** Start with admin consent already granted (skips the onboarding step). */
  consented: boolean;
}

/** A "Contoso (sandbox)" tenant with a few users and Stint's app registration; unlike a new tenant, TAP is switched on. */
export function seedSandbox(control: EmulatorControl, options: SandboxOptions): typeof sandboxIdentity {
  const domain = sandboxIdentity.tenantDomain;
  control.createTenant({
    id: sandboxIdentity.tenantId,
    displayName: "Contoso (sandbox)",
    domains: [domain],
    tapPolicy: { state: "enabled" },
    users: [
      { userPrincipalName: `megan.bowen@${domain}`, displayName: "Megan Bowen", roles: ["Global Administrator"], properties: { givenName: "Megan", surname: "Bowen", jobTitle: "IT Director" } },
      { userPrincipalName: `adele.vance@${domain}`, displayName: "Adele Vance", properties: { givenName: "Adele", surname: "Vance", jobTitle: "Retail Manager" } },
      { userPrincipalName: `alex.wilber@${domain}`, displayName: "Alex Wilber", properties: { givenName: "Alex", surname: "Wilber", jobTitle: "Marketing Assistant" } },
      { userPrincipalName: `diego.siciliani@${domain}`, displayName: "Diego Siciliani", roles: ["Helpdesk Administrator"], properties: { givenName: "Diego", surname: "Siciliani", jobTitle: "HR Manager" } },
      { userPrincipalName: `lidia.holloway@${domain}`, displayName: "Lidia Holloway", properties: { givenName: "Lidia", surname: "Holloway", jobTitle: "Product Manager" } },
    ],
  });
  control.registerApp({
    clientId: sandboxIdentity.clientId,
    displayName: "Stint (sandbox)",
    secrets: [{ value: sandboxIdentity.clientSecret }],
    requiredPermissions: stintPermissions,
    redirectUris: options.redirectUris,
  });
  if (options.consented) control.setConsent(sandboxIdentity.tenantId, sandboxIdentity.clientId, { granted: true });
  seedSandboxHalo(control);
  return sandboxIdentity;
}

/**
 * The MSP's HaloPSA: client "Contoso" (the sandbox tenant's customer) and one other, three agents, and tickets to
 * try the ticket checks with: open ones (one assigned to nobody), a closed one, one of the other client.
 */
function seedSandboxHalo(control: EmulatorControl): void {
  const { instance, clientId, clientSecret } = sandboxPsa.halo;
  control.putHaloInstance(instance, {
    clientId,
    clientSecret,
    clients: [
      { id: 12, name: "Contoso" },
      { id: 15, name: "Fabrikam" },
    ],
    agents: [
      { id: 3, name: "Sam Rivers", email: "sam.rivers@msp.example" },
      { id: 4, name: "Priya Shah", email: "priya.shah@msp.example" },
      { id: 5, name: "Tom Becker", email: "tom.becker@msp.example" },
    ],
    tickets: [
      { id: 1001, summary: "New starter: mailbox and Teams for Lidia Holloway", company: 12, status: "In Progress", assignee: "sam.rivers@msp.example" },
      { id: 1002, summary: "Conditional Access blocks the warehouse scanners", company: 12, status: "New" },
      { id: 1003, summary: "Reset MFA for Alex Wilber", company: 12, status: "Closed", assignee: "priya.shah@msp.example" },
      { id: 1004, summary: "Fabrikam: licence true-up", company: 15, status: "In Progress", assignee: "tom.becker@msp.example" },
    ],
  });
}
