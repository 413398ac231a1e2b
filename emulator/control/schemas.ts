import { z } from "zod";
import { isApplicationPermission, type ApplicationPermission } from "../catalog/permissions";
import { misbehaviourSchema, throttleSchema } from "../misbehaviour/settings";
import { tapPolicyInputSchema } from "../tap/policy";

const permission = z.string().refine(isApplicationPermission, { message: "unknown application permission" }).transform((p) => p as ApplicationPermission);

export const userSeedSchema = z.object({
  userPrincipalName: z.string().min(3),
  displayName: z.string().min(1),
  /** Defaults to a random password that meets the complexity rules. */
  password: z.string().min(1).optional(),
  accountEnabled: z.boolean().default(true),
  /** Directory roles, by template id or display name. */
  roles: z.array(z.string()).default([]),
  /** Any other Graph user properties (givenName, employeeType, extension properties, ...). */
  properties: z.record(z.string(), z.unknown()).default({}),
});

export const domainSeedSchema = z.union([
  z.string().min(3),
  z.object({ name: z.string().min(3), isVerified: z.boolean().default(true), isDefault: z.boolean().optional() }),
]);

export const tenantSettingsSchema = z.object({
  requireMfaForAdmins: z.boolean().optional(),
  restrictAuthMethodsOfPrivilegedUsers: z.boolean().optional(),
});

export const groupSeedSchema = z.object({
  id: z.guid().optional(),
  displayName: z.string().min(1),
  /** Member users, by object id or userPrincipalName. */
  members: z.array(z.string().min(1)).default([]),
});

export const tenantSeedSchema = z.object({
  id: z.uuid().optional(),
  displayName: z.string().min(1),
  /** Defaults to `{displayName as a slug}.onmicrosoft.com`. The first verified domain is the default one. */
  domains: z.array(domainSeedSchema).optional(),
  users: z.array(userSeedSchema).default([]),
  /** Created after the users, so members can name them. */
  groups: z.array(groupSeedSchema).default([]),
  /** Merged over Microsoft's defaults (disabled, 60/60/480 minutes, length 8, all users). */
  tapPolicy: tapPolicyInputSchema.optional(),
  settings: tenantSettingsSchema.optional(),
  misbehaviour: misbehaviourSchema.optional(),
});

export const appSeedSchema = z.object({
  clientId: z.uuid().optional(),
  displayName: z.string().min(1),
  /** Defaults to one generated secret. */
  secrets: z.array(z.object({ value: z.string().min(1), expiresAt: z.iso.datetime().optional() })).optional(),
  certificates: z.array(z.object({ certificatePem: z.string().min(1) })).default([]),
  requiredPermissions: z.array(permission).default([]),
  redirectUris: z.array(z.url()).default([]),
});

export const consentSchema = z.object({
  granted: z.boolean(),
  /** Application permissions to grant; defaults to all the app requires. */
  roles: z.array(permission).optional(),
  /** Directory roles of the app's service principal (template ids or display names). */
  directoryRoles: z.array(z.string()).optional(),
});

export const roleAssignmentSchema = z.object({ role: z.string().min(1) });

/** The enterprise app of a consented application in a tenant. */
export const servicePrincipalSchema = z.object({
  /** False: "Enabled for users to sign-in?" set to No; token requests get AADSTS7000112. */
  accountEnabled: z.boolean(),
});

export const emulatorOptionsSchema = z.object({
  latencyMs: z.number().int().min(0).optional(),
  tokenLifetimeSeconds: z.number().int().min(1).optional(),
  appThrottle: throttleSchema.optional(),
});

export type UserSeed = z.input<typeof userSeedSchema>;
export type GroupSeed = z.input<typeof groupSeedSchema>;
export type ParsedGroupSeed = z.output<typeof groupSeedSchema>;
export type TenantSettingsInput = z.input<typeof tenantSettingsSchema>;
export type ParsedUserSeed = z.output<typeof userSeedSchema>;
export type TenantSeed = z.input<typeof tenantSeedSchema>;
export type AppSeed = z.input<typeof appSeedSchema>;
export type ConsentInput = z.input<typeof consentSchema>;
export type ServicePrincipalInput = z.input<typeof servicePrincipalSchema>;
export type EmulatorOptionsInput = z.input<typeof emulatorOptionsSchema>;
