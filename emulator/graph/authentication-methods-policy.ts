import type { Router } from "../http/router";
import { jsonReply } from "../http/reply";
import { metadataContext, requirePermission, type GraphHandler } from "./context";
import { notFound } from "./errors";

const configurations = "policies/authenticationMethodsPolicy/authenticationMethodConfigurations";

/** Only the Temporary Access Pass configuration is emulated; its id is matched without regard to case, as Graph does. */
const getConfiguration: GraphHandler = (req, params) => {
  requirePermission(req, "readAuthenticationMethodPolicy");
  const id = params.id ?? "";
  if (id.toLowerCase() !== "temporaryaccesspass") throw notFound(id);
  const policy = req.caller.tenant.tapPolicy;
  // learn: temporaryaccesspassauthenticationmethodconfiguration-get, the sample answer's shape.
  return jsonReply(200, {
    "@odata.context": metadataContext(req, "authenticationMethodConfigurations/$entity"),
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
    id: "TemporaryAccessPass",
    state: policy.state,
    defaultLifetimeInMinutes: policy.defaultLifetimeInMinutes,
    defaultLength: policy.defaultLength,
    minimumLifetimeInMinutes: policy.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: policy.maximumLifetimeInMinutes,
    isUsableOnce: policy.isUsableOnce,
    excludeTargets: policy.excludeTargets.map((t) => ({ id: t.id, targetType: t.targetType })),
    "includeTargets@odata.context": metadataContext(
      req,
      `${configurations}('TemporaryAccessPass')/microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration/includeTargets`,
    ),
    includeTargets: policy.includeTargets.map((t) => ({ targetType: t.targetType, id: t.id, isRegistrationRequired: t.isRegistrationRequired })),
  });
};

export function registerAuthenticationMethodsPolicyRoutes(router: Router<GraphHandler>): void {
  router.on("GET", `/${configurations}/:id`, getConfiguration);
}
