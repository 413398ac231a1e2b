import { randomUUID } from "node:crypto";
import type { ApplicationPermission } from "./catalog/permissions";
import { TenantMisbehaviour } from "./misbehaviour/tenant-misbehaviour";
import { PsaStore } from "./psa/store";
import { defaultTapPolicy, type TapPolicy } from "./tap/policy";

export interface Domain {
  id: string;
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
}

export interface UserRecord {
  id: string;
  /** Every Graph-visible property, extension properties included; never the password. */
  properties: Record<string, unknown>;
  password: string;
  /** A user has at most one Temporary Access Pass; creating another replaces it. */
  temporaryAccessPass: TemporaryAccessPassRecord | null;
}

export interface TemporaryAccessPassRecord {
  id: string;
  /** The pass itself: Graph shows it only in the create answer; the control API shows it to tests. */
  pass: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** When a one-time pass signed the user in; null until then. */
  usedDateTime: string | null;
}

/** A security group, only as far as the TAP policy's include and exclude targets need one. */
export interface Group {
  id: string;
  displayName: string;
  /** Object ids of member users. */
  members: string[];
}

export interface TenantSettings {
  /** Security defaults or a Conditional Access policy "require MFA for administrators": any directory role needs MFA. */
  requireMfaForAdmins: boolean;
  /** A stricter tenant than Microsoft documents: apps may not create or delete a privileged user's TAP. */
  restrictAuthMethodsOfPrivilegedUsers: boolean;
}

export interface RoleAssignment {
  id: string;
  roleDefinitionId: string;
  principalId: string;
  directoryScopeId: string;
  createdDateTime: string;
}

/** An app's service principal in a customer tenant: exists only after admin consent. */
export interface ServicePrincipal {
  id: string;
  appId: string;
  /** Application permissions granted by the consent; they become the token's `roles`. */
  roles: ApplicationPermission[];
  /** Directory roles held by the service principal itself (e.g. Privileged Authentication Administrator). */
  directoryRoles: string[];
  /** The enterprise app's "Enabled for users to sign-in?"; a disabled one gets no tokens (AADSTS7000112). */
  accountEnabled: boolean;
  consentedDateTime: string;
}

export interface Revocation {
  userId: string;
  userPrincipalName: string;
  at: string;
}

export interface Tenant {
  id: string;
  displayName: string;
  createdDateTime: string;
  domains: Domain[];
  users: Map<string, UserRecord>;
  deletedUsers: Map<string, UserRecord>;
  roleAssignments: Map<string, RoleAssignment>;
  servicePrincipals: Map<string, ServicePrincipal>;
  revocations: Revocation[];
  /** Submissions of the user sign-in page (`/{tenant}/login`), oldest first; never the submitted password. */
  signIns: SignInRecord[];
  tapPolicy: TapPolicy;
  settings: TenantSettings;
  groups: Map<string, Group>;
  misbehaviour: TenantMisbehaviour;
}

export type SignInOutcome =
  | "password-accepted"
  | "tap-accepted"
  | "signed-in"
  | "wrong-password"
  | "wrong-tap"
  | "tap-blocked"
  | "mfa-required"
  | "account-disabled"
  | "unknown-account";

/** One password or Temporary Access Pass submission on the user sign-in page, updated by the "Stay signed in?" answer. */
export interface SignInRecord {
  at: string;
  /** As typed in `loginfmt` (trimmed). */
  userPrincipalName: string;
  /** The user's object id; null when no such account exists. */
  userId: string | null;
  /** Which view was submitted: the password view (`passwd`) or the Temporary Access Pass view (`accesspass`). */
  method: "password" | "tap";
  /** Whether the submitted `passwd` equals the account's password. The password itself is never recorded. */
  passwordMatched: boolean;
  /** Whether the submitted `accesspass` equals the account's current pass. The pass itself is never recorded. */
  tapMatched: boolean;
  outcome: SignInOutcome;
  /** The KMSI answer: "yes" (`LoginOptions=1`), "no" (`LoginOptions=3`), null until answered or when refused. */
  kmsi: "yes" | "no" | null;
  /** The KMSI page's "Don't show this again" checkbox (`DontShowAgain`). */
  dontShowAgain: boolean;
}

export interface ClientSecret {
  id: string;
  value: string;
  expiresAt: string | null;
}

export interface ClientCertificate {
  /** base64url SHA-256 thumbprint of the DER certificate, as in an assertion's `x5t#S256` header. */
  thumbprintSha256: string;
  /** base64url SHA-1 thumbprint, as in an assertion's `x5t` header. */
  thumbprintSha1: string;
  certificatePem: string;
}

export interface AppRegistration {
  clientId: string;
  displayName: string;
  secrets: ClientSecret[];
  certificates: ClientCertificate[];
  requiredPermissions: ApplicationPermission[];
  redirectUris: string[];
  createdDateTime: string;
}

export interface RequestLogEntry {
  at: string;
  requestId: string;
  method: string;
  path: string;
  surface: "login" | "graph" | "portal" | "control" | "halo" | "connectwise";
  status: number;
  durationMs: number;
  tenantId?: string;
  appId?: string;
  /** The emulated PSA instance a `halo` or `connectwise` request addressed. */
  psaInstance?: string;
  /** Set on the requests of a JSON batch: the request id of the enclosing `$batch` call. */
  batchRequestId?: string;
}

const requestLogLimit = 10_000;

export class EmulatorState {
  readonly tenants = new Map<string, Tenant>();
  readonly apps = new Map<string, AppRegistration>();
  readonly requestLog: RequestLogEntry[] = [];
  readonly psa = new PsaStore();

  constructor(readonly seed: number) {}

  /** A tenant by id or by one of its domain names, as the `{tenant}` path segment of the login host allows. */
  findTenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    const byId = this.tenants.get(key);
    if (byId) return byId;
    for (const tenant of this.tenants.values()) {
      if (tenant.domains.some((d) => d.id.toLowerCase() === key)) return tenant;
    }
    return undefined;
  }

  addTenant(input: { id?: string; displayName: string; domains: Domain[] }): Tenant {
    const id = (input.id ?? randomUUID()).toLowerCase();
    const tenant: Tenant = {
      id,
      displayName: input.displayName,
      createdDateTime: nowIso(),
      domains: input.domains,
      users: new Map(),
      deletedUsers: new Map(),
      roleAssignments: new Map(),
      servicePrincipals: new Map(),
      revocations: [],
      signIns: [],
      tapPolicy: defaultTapPolicy(),
      settings: { requireMfaForAdmins: false, restrictAuthMethodsOfPrivilegedUsers: false },
      groups: new Map(),
      misbehaviour: new TenantMisbehaviour(this.seed, id),
    };
    this.tenants.set(id, tenant);
    return tenant;
  }

  log(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    if (this.requestLog.length > requestLogLimit) this.requestLog.splice(0, this.requestLog.length - requestLogLimit);
  }

  clear(): void {
    this.tenants.clear();
    this.apps.clear();
    this.psa.clear();
    this.requestLog.length = 0;
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Directory timestamps are second-precision UTC: `2024-05-01T12:00:00Z`. */
export function directoryTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function findUserByIdOrUpn(users: Map<string, UserRecord>, key: string): UserRecord | undefined {
  const byId = users.get(key.toLowerCase());
  if (byId) return byId;
  const upn = key.toLowerCase();
  for (const user of users.values()) {
    if (String(user.properties.userPrincipalName).toLowerCase() === upn) return user;
  }
  return undefined;
}
