import { findRole, roleDefinitionResource } from "../catalog/roles";
import type { Router } from "../http/router";
import { emptyReply, jsonReply } from "../http/reply";
import { directoryTimestamp, type RoleAssignment, type Tenant } from "../state";
import { metadataContext, requireObjectBody, requirePermission, type GraphHandler, type GraphRequest } from "./context";
import { GraphError, badRequest, invalidPropertyValue, notFound } from "./errors";
import type { FilterCapabilities } from "./odata/filter";
import { applyFilter, parseSelect, project } from "./odata/query";
import { renderUser } from "./users";

const resourceName = "UnifiedRoleAssignment";
const equality = new Set(["eq", "in"]);
const filterable = new Set(["id", "principalId", "roleDefinitionId", "directoryScopeId"]);
const capabilities: FilterCapabilities = {
  resource: resourceName,
  basicOperators: (property) => (filterable.has(property) ? equality : undefined),
};
const knownProperties = new Set(["id", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "principal", "roleDefinition"]);
const expandable = new Set(["principal", "roleDefinition"]);

/** .NET's Guid.ToByteArray order: the first three groups little-endian. */
function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, "");
  const bytes = Buffer.from(hex, "hex");
  const reorder = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(reorder.map((i) => bytes[i] ?? 0));
}

/**
 * The real ids are opaque base64url strings ending in `-1`; the doc sample decodes to the role definition's
 * and the principal's GUIDs, so tenant-wide assignments get the same shape here.
 */
export function assignmentId(roleDefinitionId: string, principalId: string): string {
  return `${Buffer.concat([guidBytes(roleDefinitionId), guidBytes(principalId)]).toString("base64url")}-1`;
}

export function addAssignment(tenant: Tenant, roleDefinitionId: string, principalId: string): RoleAssignment {
  const assignment: RoleAssignment = {
    id: assignmentId(roleDefinitionId, principalId),
    roleDefinitionId: roleDefinitionId.toLowerCase(),
    principalId: principalId.toLowerCase(),
    directoryScopeId: "/",
    createdDateTime: directoryTimestamp(),
  };
  tenant.roleAssignments.set(assignment.id, assignment);
  return assignment;
}

function assignmentResource(assignment: RoleAssignment): Record<string, unknown> {
  return {
    id: assignment.id,
    principalId: assignment.principalId,
    roleDefinitionId: assignment.roleDefinitionId,
    directoryScopeId: assignment.directoryScopeId,
    appScopeId: null,
  };
}

function parseExpand(req: GraphRequest): string[] {
  const raw = req.query.get("$expand");
  if (raw === null) return [];
  const names = raw.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!expandable.has(name)) throw new GraphError(400, "BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.unifiedRoleAssignment'.`);
  }
  return names;
}

function render(req: GraphRequest, assignment: RoleAssignment, expand: string[], select: string[] | undefined): Record<string, unknown> {
  const out = assignmentResource(assignment);
  const tenant = req.caller.tenant;
  if (expand.includes("roleDefinition")) {
    const role = findRole(assignment.roleDefinitionId);
    out.roleDefinition = role ? roleDefinitionResource(role) : null;
  }
  if (expand.includes("principal")) {
    const user = tenant.users.get(assignment.principalId);
    out.principal = user ? { "@odata.type": "#microsoft.graph.user", ...renderUser(user, undefined) } : null;
  }
  return select ? project(out, [...select, ...expand]) : out;
}

const createAssignment: GraphHandler = (req) => {
  requirePermission(req, "writeRoleAssignments");
  const body = requireObjectBody(req);
  for (const property of ["roleDefinitionId", "principalId", "directoryScopeId"]) {
    if (typeof body[property] !== "string") throw badRequest(`A value is required for property '${property}' of resource '${resourceName}'.`);
  }
  const roleDefinitionId = body.roleDefinitionId as string;
  const principalId = body.principalId as string;
  if (body.directoryScopeId !== "/") throw invalidPropertyValue("directoryScopeId", resourceName);
  const role = findRole(roleDefinitionId);
  if (!role) throw notFound(roleDefinitionId);

  const tenant = req.caller.tenant;
  const principal = tenant.users.get(principalId.toLowerCase());
  if (!principal) throw notFound(principalId);
  if (!tenant.misbehaviour.replicationLag.read(principal.id)) {
    // What a just-created principal gets depends on the API; both shapes are seen in the wild.
    const badReference = tenant.misbehaviour.settings.replicationLag?.assignmentError === "bad-reference";
    throw badReference ? badRequest("Not a valid reference update") : notFound(principalId);
  }
  // Writes see the true state: a duplicate of an assignment that reads do not show yet is still a conflict.
  const id = assignmentId(role.templateId, principal.id);
  if (tenant.roleAssignments.has(id)) {
    throw badRequest("A conflicting object with one or more of the specified property values is present in the directory.");
  }
  const assignment = addAssignment(tenant, role.templateId, principal.id);
  tenant.misbehaviour.assignmentReplication.created(assignment);
  return {
    ...jsonReply(201, {
      "@odata.context": metadataContext(req, "roleManagement/directory/roleAssignments/$entity"),
      ...assignmentResource(assignment),
    }),
    createdObjectKey: `roleAssignment ${assignment.id}`,
  };
};

/**
 * What a read may return: the true assignments and, while their removal replicates, deleted ones; not those whose
 * principal sits in deleted items.
 */
function readableCandidates(tenant: Tenant): RoleAssignment[] {
  const stale = tenant.misbehaviour.assignmentReplication.staleAssignments().filter((a) => !tenant.roleAssignments.has(a.id));
  return [...tenant.roleAssignments.values(), ...stale].filter((a) => !tenant.deletedUsers.has(a.principalId));
}

/** Replication decides, per assignment a read would return, whether this read sees it. */
function seenByThisRead(tenant: Tenant, assignments: RoleAssignment[]): RoleAssignment[] {
  return assignments.filter((a) => tenant.misbehaviour.assignmentReplication.read(a));
}

const listAssignments: GraphHandler = (req) => {
  requirePermission(req, "readRoles");
  const select = parseSelect(req, "microsoft.graph.unifiedRoleAssignment", (p) => knownProperties.has(p));
  const expand = parseExpand(req);
  const tenant = req.caller.tenant;
  const matching = seenByThisRead(tenant, applyFilter(req, readableCandidates(tenant), capabilities, assignmentResource));
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "roleManagement/directory/roleAssignments"),
    value: matching.map((a) => render(req, a, expand, select)),
  });
};

function findAssignment(req: GraphRequest, id: string): RoleAssignment {
  const tenant = req.caller.tenant;
  const [assignment] = seenByThisRead(tenant, readableCandidates(tenant).filter((a) => a.id === id));
  if (!assignment) throw notFound(id);
  return assignment;
}

const getAssignment: GraphHandler = (req, params) => {
  requirePermission(req, "readRoles");
  const select = parseSelect(req, "microsoft.graph.unifiedRoleAssignment", (p) => knownProperties.has(p));
  const assignment = findAssignment(req, params.id ?? "");
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "roleManagement/directory/roleAssignments/$entity"),
    ...render(req, assignment, parseExpand(req), select),
  });
};

/** Answers 404 for an assignment reads do not show yet, and for a deleted one that reads still show. */
const deleteAssignment: GraphHandler = (req, params) => {
  requirePermission(req, "writeRoleAssignments");
  const tenant = req.caller.tenant;
  const assignment = findAssignment(req, params.id ?? "");
  if (!tenant.roleAssignments.delete(assignment.id)) throw notFound(assignment.id);
  tenant.misbehaviour.assignmentReplication.deleted(assignment);
  return emptyReply(204);
};

export function registerRoleAssignmentRoutes(router: Router<GraphHandler>): void {
  router
    .on("POST", "/roleManagement/directory/roleAssignments", createAssignment)
    .on("GET", "/roleManagement/directory/roleAssignments", listAssignments)
    .on("GET", "/roleManagement/directory/roleAssignments/:id", getAssignment)
    .on("DELETE", "/roleManagement/directory/roleAssignments/:id", deleteAssignment);
}
