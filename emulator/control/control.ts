import { X509Certificate, randomBytes, randomUUID } from "node:crypto";
import type { ApplicationPermission } from "../catalog/permissions";
import { builtInRoles, findRole } from "../catalog/roles";
import { addAssignment, assignmentId } from "../graph/role-assignments";
import type { GraphService } from "../graph/service";
import { insertUser } from "../graph/user-store";
import type { MisbehaviourInput, MisbehaviourSettings, ThrottleSettings } from "../misbehaviour/settings";
import { grantConsent, revokeConsent } from "../service-principals";
import {
  findUserByIdOrUpn, nowIso, type AppRegistration, type Domain, type EmulatorState, type Group, type RequestLogEntry, type Revocation,
  type RoleAssignment, type ServicePrincipal, type SignInRecord, type Tenant, type TenantSettings, type UserRecord,
} from "../state";
import { describePass, type TemporaryAccessPassView } from "../tap/pass";
import { allUsersTarget, defaultTapPolicy, mergeTapPolicy, type TapPolicy, type TapPolicyInput } from "../tap/policy";
import { ControlError } from "./control-error";
import {
  connectWiseSnapshot, findConnectWiseInstance, putConnectWiseInstance, setConnectWiseTicketStatus, type ConnectWiseInstanceSnapshot,
  type CwTicketSnapshot,
} from "./connectwise-instances";
import { findHaloInstance, haloSnapshot, putHaloInstance, setHaloTicketStatus, type HaloInstanceSnapshot, type HaloTicketSnapshot } from "./halo-instances";
import {
  psaRateLimitSchema, psaTicketStatusSchema, type ConnectWiseInstanceSeed, type HaloInstanceSeed, type PsaRateLimitInput, type PsaTicketStatusInput,
} from "./psa-schemas";
import {
  appSeedSchema, consentSchema, emulatorOptionsSchema, groupSeedSchema, servicePrincipalSchema, tenantSeedSchema, tenantSettingsSchema,
  userSeedSchema, type AppSeed, type ConsentInput, type EmulatorOptionsInput, type GroupSeed, type ParsedGroupSeed, type ParsedUserSeed,
  type ServicePrincipalInput, type TenantSeed, type TenantSettingsInput, type UserSeed,
} from "./schemas";

export { ControlError } from "./control-error";

export interface RuntimeOptions {
  latencyMs: number;
  tokenLifetimeSeconds: number;
}

export interface UserSnapshot {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  /** The current password, so tests can check a rotation. */
  password: string;
  /** Role template ids of the user's assignments. */
  roles: string[];
  properties: Record<string, unknown>;
  /** The user's pass with the pass itself (Graph shows it only once), usability computed now; null when none. */
  temporaryAccessPass: TemporaryAccessPassView | null;
}

export interface TenantSnapshot {
  id: string;
  displayName: string;
  domains: Domain[];
  users: UserSnapshot[];
  deletedUsers: UserSnapshot[];
  roleAssignments: (RoleAssignment & { roleDisplayName: string })[];
  revocations: Revocation[];
  /** What the user sign-in page received (account, whether the password matched, outcome, KMSI answer). */
  signIns: SignInRecord[];
  servicePrincipals: ServicePrincipal[];
  tapPolicy: TapPolicy;
  settings: TenantSettings;
  groups: Group[];
  misbehaviour: MisbehaviourSettings;
}

export interface TenantSummary {
  id: string;
  displayName: string;
  domains: string[];
}

export interface AppSnapshot {
  clientId: string;
  displayName: string;
  secrets: { id: string; value: string; expiresAt: string | null }[];
  certificateThumbprints: string[];
  requiredPermissions: ApplicationPermission[];
  redirectUris: string[];
}

/** The emulated PSAs, as their path prefix names them. */
export type PsaKindName = "halo" | "connectwise";

export interface RequestLogFilter {
  tenantId?: string;
  surface?: RequestLogEntry["surface"];
}

/** The test-control operations, in process; the `/_emulator` HTTP API exposes the same ones. */
export class EmulatorControl {
  constructor(
    private readonly state: EmulatorState,
    private readonly graph: GraphService,
    private readonly options: RuntimeOptions,
  ) {}

  createTenant(input: TenantSeed): TenantSnapshot {
    const seed = tenantSeedSchema.parse(input);
    if (seed.id && this.state.tenants.has(seed.id.toLowerCase())) throw new ControlError(409, `Tenant ${seed.id} already exists.`);
    const domains = buildDomains(seed.displayName, seed.domains);
    const taken = domains.find((d) => this.state.findTenant(d.id));
    if (taken) throw new ControlError(409, `Domain ${taken.id} already belongs to another tenant.`);
    // Checked before the tenant exists; its group targets only once the groups do.
    const tapPolicy = seed.tapPolicy && mergeTapPolicy(defaultTapPolicy(), seed.tapPolicy);
    const tenant = this.state.addTenant({ id: seed.id, displayName: seed.displayName, domains });
    for (const user of seed.users) this.seedUser(tenant, user);
    for (const group of seed.groups) this.insertGroup(tenant, group);
    if (tapPolicy) tenant.tapPolicy = checkTargets(tenant, tapPolicy);
    if (seed.settings) this.setTenantSettings(tenant.id, seed.settings);
    if (seed.misbehaviour) tenant.misbehaviour.configure(seed.misbehaviour);
    return snapshot(tenant);
  }

  listTenants(): TenantSummary[] {
    return [...this.state.tenants.values()].map((t) => ({ id: t.id, displayName: t.displayName, domains: t.domains.map((d) => d.id) }));
  }

  inspectTenant(tenantId: string): TenantSnapshot {
    return snapshot(this.tenant(tenantId));
  }

  /** Adds a user directly, as if it had existed (and replicated) long before; no Graph validation beyond uniqueness. */
  addUser(tenantId: string, input: UserSeed): UserSnapshot {
    const tenant = this.tenant(tenantId);
    return userSnapshot(tenant, this.seedUser(tenant, userSeedSchema.parse(input)));
  }

  assignRole(tenantId: string, userIdOrUpn: string, role: string): RoleAssignment {
    const tenant = this.tenant(tenantId);
    const user = findUserByIdOrUpn(tenant.users, userIdOrUpn);
    if (!user) throw new ControlError(404, `User ${userIdOrUpn} not found in tenant ${tenant.id}.`);
    const templateId = resolveRole(role);
    return tenant.roleAssignments.get(assignmentId(templateId, user.id)) ?? addAssignment(tenant, templateId, user.id);
  }

  /** Merges the given fields over the tenant's Temporary Access Pass policy; group targets must name its groups. */
  setTapPolicy(tenantId: string, input: TapPolicyInput): TapPolicy {
    const tenant = this.tenant(tenantId);
    tenant.tapPolicy = checkTargets(tenant, mergeTapPolicy(tenant.tapPolicy, input));
    return structuredClone(tenant.tapPolicy);
  }

  setTenantSettings(tenantId: string, input: TenantSettingsInput): TenantSettings {
    const parsed = tenantSettingsSchema.parse(input);
    const tenant = this.tenant(tenantId);
    tenant.settings = {
      requireMfaForAdmins: parsed.requireMfaForAdmins ?? tenant.settings.requireMfaForAdmins,
      restrictAuthMethodsOfPrivilegedUsers: parsed.restrictAuthMethodsOfPrivilegedUsers ?? tenant.settings.restrictAuthMethodsOfPrivilegedUsers,
    };
    return { ...tenant.settings };
  }

  /** A group for the TAP policy's targets; members by object id or UPN. */
  addGroup(tenantId: string, input: GroupSeed): Group {
    const tenant = this.tenant(tenantId);
    return groupSnapshot(this.insertGroup(tenant, groupSeedSchema.parse(input)));
  }

  registerApp(input: AppSeed): AppSnapshot {
    const seed = appSeedSchema.parse(input);
    const clientId = (seed.clientId ?? randomUUID()).toLowerCase();
    if (this.state.apps.has(clientId)) throw new ControlError(409, `App ${clientId} already exists.`);
    const app: AppRegistration = {
      clientId,
      displayName: seed.displayName,
      secrets: (seed.secrets ?? [{ value: randomBytes(30).toString("base64url") }]).map((s) => ({
        id: randomUUID(),
        value: s.value,
        expiresAt: s.expiresAt ?? null,
      })),
      certificates: seed.certificates.map((c) => certificateCredential(c.certificatePem)),
      requiredPermissions: seed.requiredPermissions,
      redirectUris: seed.redirectUris,
      createdDateTime: nowIso(),
    };
    this.state.apps.set(clientId, app);
    return appSnapshot(app);
  }

  listApps(): AppSnapshot[] {
    return [...this.state.apps.values()].map(appSnapshot);
  }

  /** Grants or revokes an app's admin consent in a tenant, e.g. to simulate a customer removing Stint later. */
  setConsent(tenantId: string, clientId: string, input: ConsentInput): ServicePrincipal | null {
    const consent = consentSchema.parse(input);
    const tenant = this.tenant(tenantId);
    const app = this.state.apps.get(clientId.toLowerCase());
    if (!app) throw new ControlError(404, `App ${clientId} is not registered.`);
    if (!consent.granted) {
      revokeConsent(tenant, app);
      return null;
    }
    return grantConsent(tenant, app, { roles: consent.roles, directoryRoles: consent.directoryRoles?.map(resolveRole) });
  }

  /** Disables or enables a consented app's enterprise app in a tenant, as a customer's administrator can. */
  setServicePrincipal(tenantId: string, clientId: string, input: ServicePrincipalInput): ServicePrincipal {
    const { accountEnabled } = servicePrincipalSchema.parse(input);
    const tenant = this.tenant(tenantId);
    const servicePrincipal = tenant.servicePrincipals.get(clientId.toLowerCase());
    if (!servicePrincipal) throw new ControlError(404, `App ${clientId} has no service principal in tenant ${tenant.id}.`);
    servicePrincipal.accountEnabled = accountEnabled;
    return structuredClone(servicePrincipal);
  }

  /** Merges the given knobs into the tenant's misbehaviour and restarts its counters and PRNG. */
  setMisbehaviour(tenantId: string, input: MisbehaviourInput): MisbehaviourSettings {
    return this.tenant(tenantId).misbehaviour.configure(input);
  }

  configure(input: EmulatorOptionsInput): { latencyMs: number; tokenLifetimeSeconds: number; appThrottle: ThrottleSettings } {
    const parsed = emulatorOptionsSchema.parse(input);
    if (parsed.latencyMs !== undefined) this.options.latencyMs = parsed.latencyMs;
    if (parsed.tokenLifetimeSeconds !== undefined) this.options.tokenLifetimeSeconds = parsed.tokenLifetimeSeconds;
    if (parsed.appThrottle) this.graph.configureAppThrottle(parsed.appThrottle);
    return { ...this.options, appThrottle: this.graph.currentAppThrottle() };
  }

  /** Creates or replaces the HaloPSA instance served at `/halo/{name}`. */
  putHaloInstance(name: string, input: HaloInstanceSeed): HaloInstanceSnapshot {
    return putHaloInstance(this.state.psa.halo, name, input);
  }

  inspectHaloInstance(name: string): HaloInstanceSnapshot {
    return haloSnapshot(findHaloInstance(this.state.psa.halo, name));
  }

  /** Forgets every token the instance issued, as if they had expired: the next API call gets 401. */
  expireHaloTokens(name: string): HaloInstanceSnapshot {
    const instance = findHaloInstance(this.state.psa.halo, name);
    instance.tokens.clear();
    return haloSnapshot(instance);
  }

  /** Creates or replaces the ConnectWise PSA site served at `/connectwise/{name}`. */
  putConnectWiseInstance(name: string, input: ConnectWiseInstanceSeed): ConnectWiseInstanceSnapshot {
    return putConnectWiseInstance(this.state.psa.connectwise, name, input);
  }

  inspectConnectWiseInstance(name: string): ConnectWiseInstanceSnapshot {
    return connectWiseSnapshot(findConnectWiseInstance(this.state.psa.connectwise, name));
  }

  /** Moves a ticket to another status of its instance (by name), e.g. "Closed". */
  setPsaTicketStatus(kind: PsaKindName, name: string, ticketId: number, input: PsaTicketStatusInput): HaloTicketSnapshot | CwTicketSnapshot {
    const { status } = psaTicketStatusSchema.parse(input);
    return kind === "halo"
      ? setHaloTicketStatus(findHaloInstance(this.state.psa.halo, name), ticketId, status)
      : setConnectWiseTicketStatus(findConnectWiseInstance(this.state.psa.connectwise, name), ticketId, status);
  }

  /** The instance's next `calls` calls answer 429 with `Retry-After: retryAfterSeconds`. */
  setPsaRateLimit(kind: PsaKindName, name: string, input: PsaRateLimitInput): { remaining: number; retryAfterSeconds: number } {
    const { calls, retryAfterSeconds } = psaRateLimitSchema.parse(input);
    const instance = kind === "halo" ? findHaloInstance(this.state.psa.halo, name) : findConnectWiseInstance(this.state.psa.connectwise, name);
    instance.rateLimit = { remaining: calls, retryAfterSeconds };
    return { ...instance.rateLimit };
  }

  requests(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.state.requestLog.filter(
      (e) => (!filter.tenantId || e.tenantId === filter.tenantId.toLowerCase()) && (!filter.surface || e.surface === filter.surface),
    );
  }

  reset(): void {
    this.state.clear();
  }

  private tenant(idOrDomain: string): Tenant {
    const tenant = this.state.findTenant(idOrDomain);
    if (!tenant) throw new ControlError(404, `Tenant ${idOrDomain} not found.`);
    return tenant;
  }

  private insertGroup(tenant: Tenant, seed: ParsedGroupSeed): Group {
    const id = (seed.id ?? randomUUID()).toLowerCase();
    if (tenant.groups.has(id)) throw new ControlError(409, `Group ${id} already exists.`);
    const members = seed.members.map((member) => {
      const user = findUserByIdOrUpn(tenant.users, member);
      if (!user) throw new ControlError(400, `Group member ${member} is not a user of tenant ${tenant.id}.`);
      return user.id;
    });
    const group: Group = { id, displayName: seed.displayName, members: [...new Set(members)] };
    tenant.groups.set(id, group);
    return group;
  }

  private seedUser(tenant: Tenant, seed: ParsedUserSeed): UserRecord {
    const domain = seed.userPrincipalName.split("@")[1]?.toLowerCase();
    if (!tenant.domains.some((d) => d.id.toLowerCase() === domain)) {
      throw new ControlError(400, `${seed.userPrincipalName} is not in a domain of tenant ${tenant.id}.`);
    }
    if (findUserByIdOrUpn(tenant.users, seed.userPrincipalName)) throw new ControlError(409, `${seed.userPrincipalName} already exists.`);
    const user = insertUser(tenant, {
      properties: {
        ...seed.properties,
        userPrincipalName: seed.userPrincipalName,
        displayName: seed.displayName,
        accountEnabled: seed.accountEnabled,
        mailNickname: seed.userPrincipalName.split("@")[0],
      },
      password: seed.password ?? randomPassword(),
      forceChangePasswordNextSignIn: false,
      forceChangePasswordNextSignInWithMfa: false,
    });
    for (const role of seed.roles) addAssignment(tenant, resolveRole(role), user.id);
    return user;
  }
}

/** Group ids compare lower-case; every target but `all_users` must be a group of the tenant. */
function checkTargets(tenant: Tenant, policy: TapPolicy): TapPolicy {
  const normalise = <T extends { id: string }>(target: T): T => ({ ...target, id: target.id === allUsersTarget ? target.id : target.id.toLowerCase() });
  const includeTargets = policy.includeTargets.map(normalise);
  const excludeTargets = policy.excludeTargets.map(normalise);
  const unknown = [...includeTargets.filter((t) => t.id !== allUsersTarget), ...excludeTargets].find((t) => !tenant.groups.has(t.id));
  if (unknown) throw new ControlError(400, `Target ${unknown.id} is not a group of tenant ${tenant.id}.`);
  return { ...policy, includeTargets, excludeTargets };
}

function resolveRole(role: string): string {
  const found = findRole(role) ?? builtInRoles.find((r) => r.displayName.toLowerCase() === role.toLowerCase());
  if (!found) throw new ControlError(400, `Unknown directory role ${role}.`);
  return found.templateId;
}

function buildDomains(displayName: string, seeds: TenantSeed["domains"]): Domain[] {
  const slug = displayName.toLowerCase().replace(/[^a-z0-9]+/g, "").slice(0, 27) || "tenant";
  const entries = (seeds ?? [`${slug}.onmicrosoft.com`]).map((d) =>
    typeof d === "string" ? { name: d, isVerified: true, isDefault: undefined } : { name: d.name, isVerified: d.isVerified ?? true, isDefault: d.isDefault },
  );
  const defaultName = entries.find((e) => e.isDefault)?.name ?? entries.find((e) => e.isVerified)?.name;
  return entries.map((e) => ({
    id: e.name.toLowerCase(),
    isVerified: e.isVerified,
    isDefault: e.name === defaultName,
    isInitial: e.name.toLowerCase().endsWith(".onmicrosoft.com"),
  }));
}

/**
 * 16 characters with every character class present, so it always meets the complexity rules (drawn freely from one
 * pool, a few percent of passwords would miss a class).
 */
function randomPassword(): string {
  const classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#$%&*+-=?@"];
  const bytes = randomBytes(16);
  return [...bytes].map((b, i) => {
    const pool = classes[i < classes.length ? i : b % classes.length] as string;
    return pool[b % pool.length];
  }).join("");
}

function certificateCredential(certificatePem: string): AppRegistration["certificates"][number] {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    throw new ControlError(400, "certificatePem is not a PEM certificate.");
  }
  return {
    certificatePem,
    thumbprintSha256: Buffer.from(certificate.fingerprint256.replace(/:/g, ""), "hex").toString("base64url"),
    thumbprintSha1: Buffer.from(certificate.fingerprint.replace(/:/g, ""), "hex").toString("base64url"),
  };
}

function userSnapshot(tenant: Tenant, user: UserRecord): UserSnapshot {
  return {
    id: user.id,
    userPrincipalName: String(user.properties.userPrincipalName),
    displayName: String(user.properties.displayName),
    accountEnabled: user.properties.accountEnabled === true,
    password: user.password,
    roles: [...tenant.roleAssignments.values()].filter((a) => a.principalId === user.id).map((a) => a.roleDefinitionId),
    properties: structuredClone(user.properties),
    temporaryAccessPass: user.temporaryAccessPass && describePass(tenant, user.id, user.temporaryAccessPass),
  };
}

function groupSnapshot(group: Group): Group {
  return { ...group, members: [...group.members] };
}

function snapshot(tenant: Tenant): TenantSnapshot {
  return {
    id: tenant.id,
    displayName: tenant.displayName,
    domains: tenant.domains.map((d) => ({ ...d })),
    users: [...tenant.users.values()].map((u) => userSnapshot(tenant, u)),
    deletedUsers: [...tenant.deletedUsers.values()].map((u) => userSnapshot(tenant, u)),
    roleAssignments: [...tenant.roleAssignments.values()].map((a) => ({ ...a, roleDisplayName: findRole(a.roleDefinitionId)?.displayName ?? "" })),
    revocations: tenant.revocations.map((r) => ({ ...r })),
    signIns: tenant.signIns.map((r) => ({ ...r })),
    servicePrincipals: [...tenant.servicePrincipals.values()].map((sp) => structuredClone(sp)),
    tapPolicy: structuredClone(tenant.tapPolicy),
    settings: { ...tenant.settings },
    groups: [...tenant.groups.values()].map(groupSnapshot),
    misbehaviour: structuredClone(tenant.misbehaviour.settings),
  };
}

function appSnapshot(app: AppRegistration): AppSnapshot {
  return {
    clientId: app.clientId,
    displayName: app.displayName,
    secrets: app.secrets.map((s) => ({ ...s })),
    certificateThumbprints: app.certificates.map((c) => c.thumbprintSha256),
    requiredPermissions: [...app.requiredPermissions],
    redirectUris: [...app.redirectUris],
  };
}
