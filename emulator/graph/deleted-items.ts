import type { Router } from "../http/router";
import { emptyReply, jsonReply } from "../http/reply";
import { metadataContext, requirePermission, type GraphHandler, type GraphRequest } from "./context";
import { notFound } from "./errors";
import { paginate, parseSelect } from "./odata/query";
import { isKnownUserProperty } from "./user-properties";
import { purgeUser, restoreUser } from "./user-store";
import { checkUpnIsFree } from "./user-validation";
import { renderUser } from "./users";

function deletedUser(req: GraphRequest, id: string) {
  const user = req.caller.tenant.deletedUsers.get(id.toLowerCase());
  if (!user) throw notFound(id);
  return user;
}

const listDeletedUsers: GraphHandler = (req) => {
  requirePermission(req, "readDeletedItems");
  const select = parseSelect(req, "microsoft.graph.user", isKnownUserProperty);
  const page = paginate(req, [...req.caller.tenant.deletedUsers.values()], 100, 999);
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "directory/deletedItems/microsoft.graph.user"),
    ...(page.nextLink ? { "@odata.nextLink": page.nextLink } : {}),
    value: page.items.map((u) => renderUser(u, select, ["deletedDateTime"])),
  });
};

const getDeletedItem: GraphHandler = (req, params) => {
  requirePermission(req, "readDeletedItems");
  const select = parseSelect(req, "microsoft.graph.user", isKnownUserProperty);
  const user = deletedUser(req, params.id ?? "");
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "directory/deletedItems/$entity"),
    "@odata.type": "#microsoft.graph.user",
    ...renderUser(user, select, ["deletedDateTime"]),
  });
};

/** Permanent deletion; needs User.DeleteRestore.All for users. */
const purgeDeletedItem: GraphHandler = (req, params) => {
  requirePermission(req, "deleteRestoreDeletedUser");
  const tenant = req.caller.tenant;
  purgeUser(tenant, deletedUser(req, params.id ?? ""));
  return emptyReply(204);
};

const restoreDeletedItem: GraphHandler = (req, params) => {
  requirePermission(req, "deleteRestoreDeletedUser");
  const tenant = req.caller.tenant;
  const user = deletedUser(req, params.id ?? "");
  checkUpnIsFree(tenant, String(user.properties.userPrincipalName));
  restoreUser(tenant, user);
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "directoryObjects/$entity"),
    "@odata.type": "#microsoft.graph.user",
    ...renderUser(user, undefined),
  });
};

export function registerDeletedItemRoutes(router: Router<GraphHandler>): void {
  router
    .on("GET", "/directory/deletedItems/microsoft.graph.user", listDeletedUsers)
    .on("GET", "/directory/deletedItems/:id", getDeletedItem)
    .on("DELETE", "/directory/deletedItems/:id", purgeDeletedItem)
    .on("POST", "/directory/deletedItems/:id/restore", restoreDeletedItem);
}
