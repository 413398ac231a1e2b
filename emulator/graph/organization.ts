import type { Router } from "../http/router";
import { jsonReply } from "../http/reply";
import type { Domain, Tenant } from "../state";
import { metadataContext, requirePermission, type GraphHandler } from "./context";
import { notFound } from "./errors";

function organizationResource(tenant: Tenant): Record<string, unknown> {
  return {
    id: tenant.id,
    displayName: tenant.displayName,
    createdDateTime: tenant.createdDateTime,
    tenantType: "AAD",
    countryLetterCode: "US",
    preferredLanguage: "en",
    verifiedDomains: tenant.domains
      .filter((d) => d.isVerified)
      .map((d) => ({ capabilities: "Email, OfficeCommunicationsOnline", isDefault: d.isDefault, isInitial: d.isInitial, name: d.id, type: "Managed" })),
  };
}

/** A domain as `GET /domains` answers it. */
export function domainResource(domain: Domain): Record<string, unknown> {
  return {
    id: domain.id,
    authenticationType: "Managed",
    availabilityStatus: null,
    isAdminManaged: true,
    isDefault: domain.isDefault,
    isInitial: domain.isInitial,
    isRoot: true,
    isVerified: domain.isVerified,
    supportedServices: domain.isVerified ? ["Email", "OfficeCommunicationsOnline"] : [],
  };
}

const listOrganization: GraphHandler = (req) => {
  requirePermission(req, "readOrganization");
  return jsonReply(200, { "@odata.context": metadataContext(req, "organization"), value: [organizationResource(req.caller.tenant)] });
};

const getOrganization: GraphHandler = (req, params) => {
  requirePermission(req, "readOrganization");
  const tenant = req.caller.tenant;
  if (params.id?.toLowerCase() !== tenant.id) throw notFound(params.id ?? "");
  return jsonReply(200, { "@odata.context": metadataContext(req, "organization/$entity"), ...organizationResource(tenant) });
};

const listDomains: GraphHandler = (req) => {
  requirePermission(req, "readDomains");
  return jsonReply(200, { "@odata.context": metadataContext(req, "domains"), value: req.caller.tenant.domains.map(domainResource) });
};

const getDomain: GraphHandler = (req, params) => {
  requirePermission(req, "readDomains");
  const domain = req.caller.tenant.domains.find((d) => d.id.toLowerCase() === params.id?.toLowerCase());
  if (!domain) throw notFound(params.id ?? "");
  return jsonReply(200, { "@odata.context": metadataContext(req, "domains/$entity"), ...domainResource(domain) });
};

export function registerOrganizationRoutes(router: Router<GraphHandler>): void {
  router
    .on("GET", "/organization", listOrganization)
    .on("GET", "/organization/:id", getOrganization)
    .on("GET", "/domains", listDomains)
    .on("GET", "/domains/:id", getDomain);
}
