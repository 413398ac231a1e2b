import { randomUUID } from "node:crypto";
import { graphAppId, graphResource } from "../graph/auth";
import { parseForm, type Call } from "../http/call";
import { htmlReply, redirectReply, type Reply } from "../http/reply";
import { grantConsent } from "../service-principals";
import type { AppRegistration, EmulatorState } from "../state";
import { stsDescription, stsErrorUri } from "./aadsts";
import { renderConsentPage, renderErrorPage } from "./consent-page";

type ConsentVersion = "v1" | "v2";

interface PendingConsent {
  version: ConsentVersion;
  clientId: string;
  redirectUri: string;
  state: string | null;
  scope: string | null;
  tenantId: string | undefined;
  expiresAt: number;
}

const pendingLifetimeMs = 15 * 60_000;
const tenantChooserAuthorities = new Set(["common", "organizations"]);

/** The admin-consent endpoints (v1 and v2): a page with Accept/Cancel, then a redirect with the real parameters. */
export class AdminConsent {
  private readonly pending = new Map<string, PendingConsent>();

  constructor(private readonly state: EmulatorState) {}

  /** `GET /{tenant}/adminconsent` (v1) and `GET /{tenant}/v2.0/adminconsent` (v2). */
  start(call: Call, tenantSegment: string, version: ConsentVersion): Reply {
    const params = call.url.searchParams;
    const correlationId = randomUUID();
    const errorPage = (code: number, message: string) =>
      htmlReply(400, renderErrorPage(code, message, { traceId: randomUUID(), correlationId }));

    const clientId = params.get("client_id");
    if (!clientId) return errorPage(900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.state.apps.get(clientId.toLowerCase());
    if (!app) {
      return errorPage(
        700016,
        `Application with identifier '${clientId}' was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    const redirectUri = params.get("redirect_uri");
    if (!redirectUri) return errorPage(900144, "The request body must contain the following parameter: 'redirect_uri'.");
    if (!redirectAllowed(app, redirectUri, version)) {
      return errorPage(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
      );
    }
    const chooser = tenantChooserAuthorities.has(tenantSegment.toLowerCase());
    const tenant = chooser ? undefined : this.state.findTenant(tenantSegment);
    if (!chooser && !tenant) {
      return errorPage(90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const stateParam = params.get("state");
    const scope = params.get("scope");
    if (version === "v2") {
      const failure = checkConsentScope(scope);
      if (failure) return redirectReply(withParams(redirectUri, { error: failure.error, error_description: stsDescription(failure.code, failure.message, randomUUID(), correlationId), state: stateParam }));
    }

    const contextId = randomUUID();
    this.expireOld();
    this.pending.set(contextId, {
      version,
      clientId: app.clientId,
      redirectUri,
      state: stateParam,
      scope,
      tenantId: tenant?.id,
      expiresAt: Date.now() + pendingLifetimeMs,
    });
    return htmlReply(200, renderConsentPage({ contextId, app, tenant, tenants: [...this.state.tenants.values()] }));
  }

  /** `POST /consent/decision`: the emulator's own form target behind the Accept and Cancel buttons. */
  decide(call: Call): Reply {
    const form = parseForm(call);
    const contextId = form.get("ctx") ?? "";
    const pending = this.pending.get(contextId);
    const correlationId = randomUUID();
    if (!pending || pending.expiresAt < Date.now()) {
      return htmlReply(400, renderErrorPage(90014, "The consent request has expired or is unknown. Start again from the application.", { traceId: randomUUID(), correlationId }));
    }
    this.pending.delete(contextId);
    if (form.get("action") !== "Accept") return redirectReply(cancelRedirect(pending, correlationId));

    const app = this.state.apps.get(pending.clientId);
    const tenant = this.state.findTenant(pending.tenantId ?? form.get("tenant") ?? "");
    if (!app || !tenant) {
      return htmlReply(400, renderErrorPage(90002, "The tenant or application no longer exists.", { traceId: randomUUID(), correlationId }));
    }
    grantConsent(tenant, app);
    // v1 `?tenant&state&admin_consent=True`; v2 `?admin_consent=True&tenant&scope&state`.
    const params =
      pending.version === "v1"
        ? { tenant: tenant.id, state: pending.state, admin_consent: "True" }
        : { admin_consent: "True", tenant: tenant.id, scope: pending.scope, state: pending.state };
    return redirectReply(withParams(pending.redirectUri, params));
  }

  private expireOld(): void {
    const now = Date.now();
    for (const [id, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(id);
  }
}

/**
 * The v1 doc shows `error=permission_denied` "The admin canceled the request"; the v2 endpoint really answers
 * `access_denied` with AADSTS65004, an error_uri, `admin_consent=True`, and no `tenant`.
 */
function cancelRedirect(pending: PendingConsent, correlationId: string): string {
  if (pending.version === "v1") {
    return withParams(pending.redirectUri, { error: "permission_denied", error_description: "The admin canceled the request", state: pending.state });
  }
  return withParams(pending.redirectUri, {
    error: "access_denied",
    error_description: stsDescription(65004, "User declined to consent to access the app.", randomUUID(), correlationId),
    error_uri: stsErrorUri(65004),
    admin_consent: "True",
    state: pending.state,
  });
}

/** v2 needs `scope`, and application permissions can only be requested as `{resource}/.default`. */
function checkConsentScope(scope: string | null): { error: string; code: number; message: string } | undefined {
  if (!scope) return { error: "invalid_request", code: 900144, message: "The request body must contain the following parameter: 'scope'." };
  const valid = scope
    .split(" ")
    .filter((s) => s.length > 0)
    .every((s) => s === `${graphResource}/.default` || s === `${graphAppId}/.default`);
  if (!valid) {
    return {
      error: "invalid_scope",
      code: 70011,
      message: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. Application permissions must be requested as ${graphResource}/.default.`,
    };
  }
  return undefined;
}

/** v2 wants an exact match; v1 allows additional path segments below a registered URI. */
function redirectAllowed(app: AppRegistration, redirectUri: string, version: ConsentVersion): boolean {
  return app.redirectUris.some((registered) => {
    if (registered === redirectUri) return true;
    if (version === "v2") return false;
    const base = registered.endsWith("/") ? registered : `${registered}/`;
    return redirectUri.startsWith(base);
  });
}

function withParams(uri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) url.searchParams.append(name, value);
  }
  return url.toString();
}
