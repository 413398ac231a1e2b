import type { Call } from "../http/call";
import { jsonReply, type Reply } from "../http/reply";
import { Router } from "../http/router";
import type { PortalSignInCodes } from "../portal/sign-in-codes";
import type { EmulatorState } from "../state";
import { AuthorizationCodes, Authorize } from "./authorize";
import { AdminConsent } from "./consent";
import { instanceDiscovery, jwks, openIdConfiguration } from "./discovery";
import type { SigningKey } from "./signing-key";
import { handleTokenRequest } from "./token";
import { UserSignIn } from "./user-sign-in";
import { credentialTypePath, proofUpPath } from "./user-sign-in-page";

type LoginHandler = (call: Call, params: Record<string, string>) => Reply | Promise<Reply>;

/** The authority host: discovery, keys, sign-in (authorization code and the user sign-in page), tokens, admin consent. */
export class LoginService {
  private readonly router = new Router<LoginHandler>();

  constructor(state: EmulatorState, signingKey: SigningKey, tokenLifetimeSeconds: () => number, portalCodes: PortalSignInCodes) {
    const consent = new AdminConsent(state);
    const codes = new AuthorizationCodes();
    const authorize = new Authorize(state, codes);
    const userSignIn = new UserSignIn(state, portalCodes);
    const tenant = (params: Record<string, string>) => params.tenant ?? "";
    this.router
      .on("GET", "/common/discovery/instance", (call) => instanceDiscovery(call))
      .on("GET", "/:tenant/v2.0/.well-known/openid-configuration", (call, p) => openIdConfiguration(call, tenant(p), state))
      .on("GET", "/:tenant/discovery/v2.0/keys", () => jwks(signingKey))
      .on("GET", "/:tenant/discovery/keys", () => jwks(signingKey))
      .on("GET", "/:tenant/oauth2/v2.0/authorize", (call, p) => authorize.start(call, tenant(p)))
      // One form target for both pages, as in Entra: the user sign-in page's form carries `flowToken`.
      .on("POST", "/:tenant/login", (call) => (UserSignIn.owns(call) ? userSignIn.submit(call) : authorize.submit(call)))
      .on("GET", "/:tenant/login", (call, p) => userSignIn.start(call, tenant(p)))
      .on("POST", credentialTypePath, (call) => userSignIn.credentialType(call))
      .on("POST", "/kmsi", (call) => userSignIn.kmsi(call))
      .on("GET", proofUpPath, () => userSignIn.proofUp())
      .on("POST", "/:tenant/oauth2/v2.0/token", (call, p) => handleTokenRequest(call, tenant(p), { state, signingKey, tokenLifetimeSeconds, codes }))
      .on("GET", "/:tenant/adminconsent", (call, p) => consent.start(call, tenant(p), "v1"))
      .on("GET", "/:tenant/v2.0/adminconsent", (call, p) => consent.start(call, tenant(p), "v2"))
      .on("POST", "/consent/decision", (call) => consent.decide(call))
      // Last: `/{tenant}` alone is the user sign-in page, and must not shadow the one-segment routes above.
      .on("GET", "/:tenant", (call, p) => userSignIn.start(call, tenant(p)));
  }

  async handle(call: Call): Promise<Reply> {
    const match = this.router.match(call.method, call.url.pathname);
    if (match.kind === "found") return match.handler(call, match.params);
    const status = match.kind === "method-not-allowed" ? 405 : 404;
    return jsonReply(status, { error: "not_found", error_description: `The emulator's login host has no ${call.method} ${call.url.pathname}.` });
  }
}
