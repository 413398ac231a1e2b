import { randomUUID } from "node:crypto";
import { findRole, roleTemplateIds } from "../catalog/roles";
import { directoryTimestamp, type ServicePrincipal, type Tenant, type UserRecord } from "../state";
import { emptyExtensionAttributes } from "./user-properties";

export interface NewUser {
  properties: Record<string, unknown>;
  password: string;
  forceChangePasswordNextSignIn: boolean;
  forceChangePasswordNextSignInWithMfa: boolean;
}

export function insertUser(tenant: Tenant, input: NewUser): UserRecord {
  const id = randomUUID();
  const now = directoryTimestamp();
  const rest = { ...input.properties };
  delete rest.passwordProfile;
  const user: UserRecord = {
    id,
    password: input.password,
    temporaryAccessPass: null,
    properties: {
      businessPhones: [],
      givenName: null,
      surname: null,
      jobTitle: null,
      mail: null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      usageLocation: null,
      employeeId: null,
      employeeType: null,
      companyName: null,
      department: null,
      city: null,
      country: null,
      state: null,
      streetAddress: null,
      postalCode: null,
      passwordPolicies: null,
      otherMails: [],
      proxyAddresses: [],
      creationType: null,
      userType: "Member",
      ...rest,
      onPremisesExtensionAttributes: { ...emptyExtensionAttributes(), ...(rest.onPremisesExtensionAttributes as object | undefined) },
      passwordProfile: {
        password: null,
        forceChangePasswordNextSignIn: input.forceChangePasswordNextSignIn,
        forceChangePasswordNextSignInWithMfa: input.forceChangePasswordNextSignInWithMfa,
      },
      id,
      createdDateTime: now,
      deletedDateTime: null,
      lastPasswordChangeDateTime: now,
      signInSessionsValidFromDateTime: now,
    },
  };
  tenant.users.set(id, user);
  return user;
}

/** A deleted user moves to the deleted-items container; its role assignments stop showing until restored. */
export function softDeleteUser(tenant: Tenant, user: UserRecord): void {
  tenant.users.delete(user.id);
  user.properties.deletedDateTime = directoryTimestamp();
  tenant.deletedUsers.set(user.id, user);
}

export function restoreUser(tenant: Tenant, user: UserRecord): void {
  tenant.deletedUsers.delete(user.id);
  user.properties.deletedDateTime = null;
  tenant.users.set(user.id, user);
}

export function purgeUser(tenant: Tenant, user: UserRecord): void {
  tenant.deletedUsers.delete(user.id);
  for (const [id, assignment] of tenant.roleAssignments) {
    if (assignment.principalId === user.id) tenant.roleAssignments.delete(id);
  }
}

export function holdsPrivilegedRole(tenant: Tenant, userId: string): boolean {
  for (const assignment of [...tenant.roleAssignments.values(), ...tenant.misbehaviour.assignmentReplication.guardingAssignments()]) {
    if (assignment.principalId === userId && findRole(assignment.roleDefinitionId)?.isPrivileged) return true;
  }
  return false;
}

/** Any directory role, privileged or not: what "require MFA for administrators" policies target. */
export function holdsDirectoryRole(tenant: Tenant, userId: string): boolean {
  for (const assignment of tenant.roleAssignments.values()) {
    if (assignment.principalId === userId) return true;
  }
  return false;
}

/**
 * App-only callers may act on privileged users only if their service principal holds a high enough directory role
 * (https://learn.microsoft.com/graph/api/user-delete).
 */
export function mayManagePrivilegedUsers(servicePrincipal: ServicePrincipal | undefined): boolean {
  const roles = servicePrincipal?.directoryRoles ?? [];
  return roles.includes(roleTemplateIds.globalAdministrator) || roles.includes(roleTemplateIds.privilegedAuthenticationAdministrator);
}
