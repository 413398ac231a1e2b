import { Router, type Params } from "../http/router";
import { emptyReply, jsonReply } from "../http/reply";
import { directoryTimestamp, findUserByIdOrUpn, type Tenant, type UserRecord } from "../state";
import { metadataContext, requireObjectBody, requirePermission, type GraphHandler, type GraphRequest } from "./context";
import { badRequest, insufficientPrivileges, invalidPropertyValue, notFound } from "./errors";
import { applyFilter, applyOrderBy, paginate, parseSelect, project, wantsCount } from "./odata/query";
import {
  defaultUserProperties, isExtensionAttributeName, isExtensionProperty, isKnownUserProperty, isReadOnlyUserProperty,
  isSchemaExtension, requiredOnCreate, sensitiveUserProperties, sortableUserProperties, stringUserProperties,
  userFilterCapabilities, writableUserProperties,
} from "./user-properties";
import { holdsPrivilegedRole, insertUser, mayManagePrivilegedUsers, softDeleteUser } from "./user-store";
import { checkMailNickname, checkPasswordComplexity, checkUpnIsFree, checkUserPrincipalName } from "./user-validation";

export function renderUser(user: UserRecord, select: readonly string[] | undefined, extra: readonly string[] = []): Record<string, unknown> {
  return project(user.properties, select ?? [...defaultUserProperties, ...extra]);
}

function selectContext(req: GraphRequest, set: string, select: readonly string[] | undefined, entity: boolean): string {
  const shape = select ? `(${select.join(",")})` : "";
  return metadataContext(req, `${set}${shape}${entity ? "/$entity" : ""}`);
}

/**
 * Finds an active user by id or UPN (`/users/{id}` or `/users('{upn}')`). Replication lag makes a freshly created
 * user look absent, as Entra's eventual consistency does.
 */
export function lookupUser(req: GraphRequest, key: string): UserRecord {
  const tenant = req.caller.tenant;
  const user = findUserByIdOrUpn(tenant.users, key);
  if (!user || !tenant.misbehaviour.replicationLag.read(user.id)) throw notFound(key);
  return user;
}

function checkWritableKeys(body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (key.startsWith("@odata.")) continue;
    if (isReadOnlyUserProperty(key)) throw badRequest(`Property '${key}' is read-only and cannot be set.`);
    if (!writableUserProperties.has(key) && !isExtensionProperty(key)) throw badRequest(`Invalid property '${key}'.`);
  }
}

function checkPropertyTypes(body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.")) continue;
    const ok = (() => {
      if (key === "accountEnabled") return typeof value === "boolean";
      if (stringUserProperties.has(key)) return value === null || typeof value === "string";
      if (key === "businessPhones" || key === "otherMails") return Array.isArray(value) && value.every((v) => typeof v === "string");
      if (key === "passwordProfile") return isPasswordProfile(value);
      if (key === "onPremisesExtensionAttributes") {
        return isPlainObject(value) && Object.entries(value).every(([k, v]) => isExtensionAttributeName(k) && (v === null || typeof v === "string"));
      }
      if (isSchemaExtension(key)) return value === null || (isPlainObject(value) && Object.values(value).every(isPrimitive));
      return value === null || isPrimitive(value);
    })();
    if (!ok) throw invalidPropertyValue(key);
  }
  if (typeof body.usageLocation === "string" && !/^[A-Z]{2}$/.test(body.usageLocation)) throw invalidPropertyValue("usageLocation");
  if (body.displayName === null || body.displayName === "") throw invalidPropertyValue("displayName");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function isPasswordProfile(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return (
    typeof value.password === "string" &&
    ["forceChangePasswordNextSignIn", "forceChangePasswordNextSignInWithMfa"].every((k) => value[k] === undefined || typeof value[k] === "boolean")
  );
}

const createUser: GraphHandler = (req) => {
  requirePermission(req, "createUser");
  const body = requireObjectBody(req);
  checkWritableKeys(body);
  for (const property of requiredOnCreate) {
    if (body[property] === undefined || body[property] === null) {
      throw badRequest(`A value is required for property '${property}' of resource 'User'.`);
    }
  }
  checkPropertyTypes(body);
  const tenant = req.caller.tenant;
  const upn = checkUserPrincipalName(body.userPrincipalName, tenant);
  checkMailNickname(body.mailNickname);
  const profile = body.passwordProfile as { password: string; forceChangePasswordNextSignIn?: boolean; forceChangePasswordNextSignInWithMfa?: boolean };
  checkPasswordComplexity(profile.password);
  checkUpnIsFree(tenant, upn);

  const properties = Object.fromEntries(Object.entries(body).filter(([k]) => !k.startsWith("@odata.")));
  const user = insertUser(tenant, {
    properties,
    password: profile.password,
    forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn ?? true,
    forceChangePasswordNextSignInWithMfa: profile.forceChangePasswordNextSignInWithMfa ?? false,
  });
  tenant.misbehaviour.replicationLag.written(user.id);
  return {
    ...jsonReply(201, { "@odata.context": metadataContext(req, "users/$entity"), ...renderUser(user, undefined) }),
    createdObjectKey: `user ${upn.toLowerCase()}`,
  };
};

const listUsers: GraphHandler = (req) => {
  requirePermission(req, "readUsers");
  const select = parseSelect(req, "microsoft.graph.user", isKnownUserProperty);
  const count = wantsCount(req);
  const lag = req.caller.tenant.misbehaviour.replicationLag;
  const visible = [...req.caller.tenant.users.values()].filter((u) => lag.hasReplicated(u.id));
  const view = (u: UserRecord) => u.properties;
  const filtered = applyOrderBy(req, applyFilter(req, visible, userFilterCapabilities, view), sortableUserProperties, view);
  const page = paginate(req, filtered, 100, 999);
  return jsonReply(200, {
    "@odata.context": selectContext(req, "users", select, false),
    ...(count ? { "@odata.count": filtered.length } : {}),
    ...(page.nextLink ? { "@odata.nextLink": page.nextLink } : {}),
    value: page.items.map((u) => renderUser(u, select)),
  });
};

const getUser: GraphHandler = (req, params) => {
  requirePermission(req, "readUsers");
  const select = parseSelect(req, "microsoft.graph.user", isKnownUserProperty);
  const user = lookupUser(req, userKey(params));
  return jsonReply(200, { "@odata.context": selectContext(req, "users", select, true), ...renderUser(user, select) });
};

/**
 * App-only callers cannot change sensitive properties of, delete, or revoke users holding privileged roles
 * (https://learn.microsoft.com/graph/api/user-update, "sensitive user properties"). Judged on the directory's true
 * state, so a privileged role assignment that reads do not show yet still counts.
 */
function guardPrivilegedTarget(req: GraphRequest, tenant: Tenant, user: UserRecord): void {
  if (holdsPrivilegedRole(tenant, user.id) && !mayManagePrivilegedUsers(req.caller.servicePrincipal)) throw insufficientPrivileges();
}

const updateUser: GraphHandler = (req, params) => {
  const body = requireObjectBody(req);
  const keys = Object.keys(body).filter((k) => !k.startsWith("@odata."));
  if (keys.includes("accountEnabled")) requirePermission(req, "enableDisableUser");
  if (keys.includes("passwordProfile")) requirePermission(req, "setPassword");
  if (keys.length === 0 || keys.some((k) => k !== "accountEnabled" && k !== "passwordProfile")) requirePermission(req, "updateUser");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  checkWritableKeys(body);
  checkPropertyTypes(body);
  if (keys.some((k) => sensitiveUserProperties.has(k))) guardPrivilegedTarget(req, tenant, user);
  if (keys.includes("userPrincipalName")) checkUpnIsFree(tenant, checkUserPrincipalName(body.userPrincipalName, tenant), user.id);
  if (keys.includes("mailNickname")) checkMailNickname(body.mailNickname);
  if (keys.includes("passwordProfile")) checkPasswordComplexity((body.passwordProfile as { password: string }).password);

  for (const key of keys) applyUpdate(user, key, body[key]);
  return emptyReply(204);
};

function applyUpdate(user: UserRecord, key: string, value: unknown): void {
  const properties = user.properties;
  if (key === "passwordProfile") {
    const profile = value as { password: string; forceChangePasswordNextSignIn?: boolean; forceChangePasswordNextSignInWithMfa?: boolean };
    const current = properties.passwordProfile as Record<string, unknown>;
    user.password = profile.password;
    properties.lastPasswordChangeDateTime = directoryTimestamp();
    properties.passwordProfile = {
      password: null,
      forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn ?? current.forceChangePasswordNextSignIn,
      forceChangePasswordNextSignInWithMfa: profile.forceChangePasswordNextSignInWithMfa ?? current.forceChangePasswordNextSignInWithMfa,
    };
  } else if (key === "onPremisesExtensionAttributes") {
    properties[key] = { ...(properties[key] as object), ...(value as object) };
  } else if (isExtensionProperty(key) && value === null) {
    // Setting an extension's complex value to null removes it.
    delete properties[key];
  } else {
    properties[key] = value;
  }
}

const deleteUser: GraphHandler = (req, params) => {
  requirePermission(req, "deleteUser");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  guardPrivilegedTarget(req, tenant, user);
  softDeleteUser(tenant, user);
  return emptyReply(204);
};

/** Documented as 204, actually 200 with an always-true Boolean (a known issue of Graph's). */
const revokeSignInSessions: GraphHandler = (req, params) => {
  requirePermission(req, "revokeSessions");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  guardPrivilegedTarget(req, tenant, user);
  const at = new Date();
  user.properties.signInSessionsValidFromDateTime = directoryTimestamp(at);
  tenant.revocations.push({ userId: user.id, userPrincipalName: String(user.properties.userPrincipalName), at: at.toISOString() });
  return jsonReply(200, { "@odata.context": metadataContext(req, "Edm.Boolean"), value: true });
};

function userKey(params: Params): string {
  return params.id ?? "";
}

export function registerUserRoutes(router: Router<GraphHandler>): void {
  router
    .on("POST", "/users", createUser)
    .on("GET", "/users", listUsers)
    .on("GET", "/users/:id", getUser)
    .on("PATCH", "/users/:id", updateUser)
    .on("DELETE", "/users/:id", deleteUser)
    .on("POST", "/users/:id/revokeSignInSessions", revokeSignInSessions);
}
