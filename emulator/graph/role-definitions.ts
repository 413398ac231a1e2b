import { builtInRoles, findRole, roleDefinitionResource } from "../catalog/roles";
import type { Router } from "../http/router";
import { jsonReply } from "../http/reply";
import { metadataContext, requirePermission, type GraphHandler } from "./context";
import { notFound } from "./errors";
import type { FilterCapabilities } from "./odata/filter";
import { applyFilter, parseSelect, project } from "./odata/query";

const equality = new Set(["eq", "in"]);
const filterable = new Set(["id", "displayName", "isBuiltIn", "templateId"]);

/** `$filter` (eq, in) on id, displayName and isBuiltIn, as the list method documents. */
const capabilities: FilterCapabilities = {
  resource: "UnifiedRoleDefinition",
  basicOperators: (property) => (filterable.has(property) ? equality : undefined),
};

const knownProperties = new Set(Object.keys(roleDefinitionResource(builtInRoles[0]!)));

const listRoleDefinitions: GraphHandler = (req) => {
  requirePermission(req, "readRoles");
  const select = parseSelect(req, "microsoft.graph.unifiedRoleDefinition", (p) => knownProperties.has(p));
  const resources = builtInRoles.map(roleDefinitionResource);
  const matching = applyFilter(req, resources, capabilities, (r) => r);
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "roleManagement/directory/roleDefinitions"),
    value: matching.map((r) => (select ? project(r, select) : r)),
  });
};

const getRoleDefinition: GraphHandler = (req, params) => {
  requirePermission(req, "readRoles");
  const role = findRole(params.id ?? "");
  if (!role) throw notFound(params.id ?? "");
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "roleManagement/directory/roleDefinitions/$entity"),
    ...roleDefinitionResource(role),
  });
};

export function registerRoleDefinitionRoutes(router: Router<GraphHandler>): void {
  router
    .on("GET", "/roleManagement/directory/roleDefinitions", listRoleDefinitions)
    .on("GET", "/roleManagement/directory/roleDefinitions/:id", getRoleDefinition);
}
