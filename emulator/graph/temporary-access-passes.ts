import type { Params, Router } from "../http/router";
import { emptyReply, jsonReply } from "../http/reply";
import type { TemporaryAccessPassRecord, Tenant, UserRecord } from "../state";
import { describePass, issuePass } from "../tap/pass";
import { tapPolicyCovers, type TapPolicy } from "../tap/policy";
import { metadataContext, requireObjectBody, requirePermission, type GraphHandler, type GraphRequest } from "./context";
import { GraphError, badRequest, insufficientPrivileges, invalidPropertyValue, notFound } from "./errors";
import { holdsPrivilegedRole, mayManagePrivilegedUsers } from "./user-store";
import { lookupUser } from "./users";

const resourceName = "temporaryAccessPassAuthenticationMethod";
const odataType = "#microsoft.graph.temporaryAccessPassAuthenticationMethod";
const writableProperties = new Set(["lifetimeInMinutes", "isUsableOnce", "startDateTime"]);

/** The observed answer when the tenant's policy does not allow the pass (MicrosoftDocs/azure-docs issues). */
function refusedByPolicy(): GraphError {
  return new GraphError(
    400,
    "badRequest",
    "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].",
  );
}

/** `users('{key}')/authentication/temporaryAccessPassMethods`, with the user key as the caller wrote it. */
function collectionContext(req: GraphRequest, userKey: string): string {
  return metadataContext(req, `users('${encodeURIComponent(userKey)}')/authentication/temporaryAccessPassMethods`);
}

/** The pass itself only in the create answer; reads give `temporaryAccessPass: null`. */
function render(tenant: Tenant, user: UserRecord, pass: TemporaryAccessPassRecord, withPass: boolean): Record<string, unknown> {
  const view = describePass(tenant, user.id, pass);
  return { "@odata.type": odataType, ...view, temporaryAccessPass: withPass ? view.temporaryAccessPass : null };
}

interface CreateInput {
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  startDateTime?: string;
}

function parseCreateBody(req: GraphRequest): CreateInput {
  const body = req.body === undefined ? {} : requireObjectBody(req);
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.")) continue;
    if (!writableProperties.has(key)) throw badRequest(`Invalid property '${key}'.`);
    const ok =
      key === "lifetimeInMinutes" ? Number.isInteger(value)
      : key === "isUsableOnce" ? typeof value === "boolean"
      : typeof value === "string" && !Number.isNaN(Date.parse(value));
    if (!ok) throw invalidPropertyValue(key, resourceName);
  }
  const startDateTime = body.startDateTime === undefined ? undefined : new Date(body.startDateTime as string).toISOString();
  return { lifetimeInMinutes: body.lifetimeInMinutes as number | undefined, isUsableOnce: body.isUsableOnce as boolean | undefined, startDateTime };
}

/** 10–43,200 minutes for any pass, and within the tenant policy's minimum and maximum. The wording is the emulator's. */
function checkLifetime(minutes: number, policy: TapPolicy): void {
  const [min, max] = minutes < 10 || minutes > 43_200 ? [10, 43_200] : [policy.minimumLifetimeInMinutes, policy.maximumLifetimeInMinutes];
  if (minutes < min || minutes > max) {
    throw new GraphError(400, "badRequest", `lifetimeInMinutes must be between ${min} and ${max} minutes; ${minutes} is outside that range.`);
  }
}

/**
 * Microsoft documents no restriction for apps on the methods of privileged users (the role requirements of these
 * pages are for delegated callers); a tenant can opt into one to test a stricter Entra.
 */
function guardPrivilegedTarget(req: GraphRequest, tenant: Tenant, user: UserRecord): void {
  if (!tenant.settings.restrictAuthMethodsOfPrivilegedUsers) return;
  if (holdsPrivilegedRole(tenant, user.id) && !mayManagePrivilegedUsers(req.caller.servicePrincipal)) throw insufficientPrivileges();
}

const createPass: GraphHandler = (req, params) => {
  requirePermission(req, "writeTemporaryAccessPasses");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  const input = parseCreateBody(req);
  guardPrivilegedTarget(req, tenant, user);
  const policy = tenant.tapPolicy;
  if (!tapPolicyCovers(tenant, user.id)) throw refusedByPolicy();
  const isUsableOnce = input.isUsableOnce ?? policy.isUsableOnce;
  if (policy.isUsableOnce && !isUsableOnce) throw refusedByPolicy();
  const lifetimeInMinutes = input.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
  checkLifetime(lifetimeInMinutes, policy);
  const pass = issuePass(tenant, user, { lifetimeInMinutes, isUsableOnce, startDateTime: input.startDateTime });
  return {
    ...jsonReply(201, { "@odata.context": `${collectionContext(req, userKey(params))}/$entity`, ...render(tenant, user, pass, true) }),
    // A user has one pass, which a new one replaces: the user's pass is the object, whichever pass is current.
    createdObjectKey: `temporaryAccessPass ${user.id}`,
  };
};

const listPasses: GraphHandler = (req, params) => {
  requirePermission(req, "readTemporaryAccessPasses");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  const pass = user.temporaryAccessPass;
  return jsonReply(200, { "@odata.context": collectionContext(req, userKey(params)), value: pass ? [render(tenant, user, pass, false)] : [] });
};

function findPass(user: UserRecord, params: Params): TemporaryAccessPassRecord {
  const id = params.methodId ?? "";
  const pass = user.temporaryAccessPass;
  if (!pass || pass.id !== id.toLowerCase()) throw notFound(id);
  return pass;
}

const getPass: GraphHandler = (req, params) => {
  requirePermission(req, "readTemporaryAccessPasses");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  const pass = findPass(user, params);
  return jsonReply(200, { "@odata.context": `${collectionContext(req, userKey(params))}/$entity`, ...render(tenant, user, pass, false) });
};

const deletePass: GraphHandler = (req, params) => {
  requirePermission(req, "writeTemporaryAccessPasses");
  const tenant = req.caller.tenant;
  const user = lookupUser(req, userKey(params));
  guardPrivilegedTarget(req, tenant, user);
  findPass(user, params);
  user.temporaryAccessPass = null;
  return emptyReply(204);
};

function userKey(params: Params): string {
  return params.id ?? "";
}

export function registerTemporaryAccessPassRoutes(router: Router<GraphHandler>): void {
  const base = "/users/:id/authentication/temporaryAccessPassMethods";
  router
    .on("POST", base, createPass)
    .on("GET", base, listPasses)
    .on("GET", `${base}/:methodId`, getPass)
    .on("DELETE", `${base}/:methodId`, deletePass);
}
