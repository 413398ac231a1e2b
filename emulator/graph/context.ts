import type { Operation } from "../catalog/permissions";
import { operationPermissions } from "../catalog/permissions";
import type { Params } from "../http/router";
import type { Reply } from "../http/reply";
import type { ServicePrincipal, Tenant } from "../state";
import { GraphError, insufficientPrivileges } from "./errors";

/** The application behind a validated app-only access token. */
export interface GraphCaller {
  tenant: Tenant;
  appId: string;
  roles: ReadonlySet<string>;
  /** The app's service principal in the tenant as it is now (consent may have been revoked since the token). */
  servicePrincipal: ServicePrincipal | undefined;
}

export interface GraphRequest {
  method: string;
  /** Path below the version segment, e.g. `/users/8f1c…`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  caller: GraphCaller;
  /** `https://host:port/v1.0`, for `@odata.context` and `@odata.nextLink`. */
  serviceRoot: string;
}

/** A handler's answer; a create also names the object it made, so a lost answer hits each object once. */
export interface GraphReply extends Reply {
  createdObjectKey?: string;
}

export type GraphHandler = (req: GraphRequest, params: Params) => GraphReply | Promise<GraphReply>;

/** The token's `roles` must include one of the application permissions that allow the operation. */
export function requirePermission(req: GraphRequest, operation: Operation): void {
  if (!operationPermissions[operation].some((p) => req.caller.roles.has(p))) throw insufficientPrivileges();
}

export function metadataContext(req: GraphRequest, fragment: string): string {
  return `${req.serviceRoot}/$metadata#${fragment}`;
}

export function requireObjectBody(req: GraphRequest): Record<string, unknown> {
  if (req.body === null || typeof req.body !== "object" || Array.isArray(req.body)) {
    throw new GraphError(400, "BadRequest", "Empty Payload. JSON content expected.");
  }
  return req.body as Record<string, unknown>;
}
