import { randomBytes, randomUUID } from "node:crypto";
import { graphAppId, graphResource } from "../graph/auth";
import { parseForm, type Call } from "../http/call";
import { htmlReply, redirectReply, type Reply } from "../http/reply";
import { findUserByIdOrUpn, type EmulatorState, type Tenant, type UserRecord } from "../state";
import { stsDescription, stsErrorUri } from "./aadsts";
import { renderErrorPage } from "./consent-page";
import { renderFormPost, renderSignInPage } from "./sign-in-page";

type ResponseMode = "query" | "fragment" | "form_post";

/** What the authorize request asked for; it travels with the sign-in page, then with the code it produces. */
interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | "plain" | null;
  /** `client_info=1` (MSAL sends it): the redirect and the token response then carry `client_info`. */
  clientInfo: boolean;
}

interface PendingSignIn extends AuthorizeRequest {
  tenantSegment: string;
  /** Set when the authority named one tenant; undefined for `common`/`organizations`. */
  tenantId: string | undefined;
  expiresAt: number;
}

/** An authorization code: single use, short-lived, bound to the request that produced it (README, fidelity notes). */
export interface IssuedCode extends AuthorizeRequest {
  tenantId: string;
  userId: string;
  /** Entra's browser session id; the ID token's `sid`. */
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
  redeemedAt: number | null;
}

/** "Authorization codes are short lived. Typically, they expire after about 10 minutes." (v2-oauth2-auth-code-flow). */
export const authorizationCodeLifetimeMs = 10 * 60_000;
const pendingLifetimeMs = 15 * 60_000;
/** Expired and redeemed codes are remembered a while longer, so a late replay still gets AADSTS70008 / 54005. */
const codeMemoryMs = 60 * 60_000;
const multiTenantSegments = new Set(["common", "organizations"]);
const oidcScopes = new Set(["openid", "profile", "email", "offline_access"]);

/** The codes the authorize endpoint issued, for the token endpoint to redeem. */
export class AuthorizationCodes {
  private readonly codes = new Map<string, IssuedCode>();

  issue(entry: Omit<IssuedCode, "issuedAt" | "expiresAt" | "redeemedAt">): string {
    this.forgetOld();
    // Entra's codes are long opaque strings; only their unpredictability matters here.
    const code = `1.${randomBytes(48).toString("base64url")}`;
    const now = Date.now();
    this.codes.set(code, { ...entry, issuedAt: now, expiresAt: now + authorizationCodeLifetimeMs, redeemedAt: null });
    return code;
  }

  find(code: string): IssuedCode | undefined {
    return this.codes.get(code);
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [code, entry] of this.codes) if (entry.expiresAt + codeMemoryMs < now) this.codes.delete(code);
  }
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize` (response_type=code) and its sign-in page. As in Entra, problems with the
 * client or the redirect URI are shown as an error page (the redirect URI cannot be trusted yet); everything else is
 * answered at the redirect URI with `error`, `error_description`, `error_uri` and `state`.
 */
export class Authorize {
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly state: EmulatorState,
    private readonly codes: AuthorizationCodes,
  ) {}

  start(call: Call, tenantSegment: string): Reply {
    const params = call.url.searchParams;
    const correlationId = randomUUID();
    const errorPage = (code: number, message: string) => htmlReply(400, renderErrorPage(code, message, { traceId: randomUUID(), correlationId }));

    const multiTenant = multiTenantSegments.has(tenantSegment.toLowerCase());
    const tenant = multiTenant ? undefined : this.state.findTenant(tenantSegment);
    if (!multiTenant && !tenant) {
      return errorPage(90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const clientId = params.get("client_id");
    if (!clientId) return errorPage(900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.state.apps.get(clientId.toLowerCase());
    if (!app) {
      return errorPage(
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant?.displayName ?? tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const redirectUri = params.get("redirect_uri");
    if (!redirectUri) return errorPage(900144, "The request body must contain the following parameter: 'redirect_uri'.");
    if (!app.redirectUris.includes(redirectUri)) {
      return errorPage(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
      );
    }

    const modeParam = params.get("response_mode");
    const stateParam = params.get("state");
    const answerTo = { redirectUri, responseMode: (modeParam === "fragment" || modeParam === "form_post" ? modeParam : "query") as ResponseMode, state: stateParam };
    const refuse = (error: string, code: number, message: string) => errorReply(answerTo, error, code, message, correlationId);

    if (modeParam && modeParam !== "query" && modeParam !== "fragment" && modeParam !== "form_post") {
      return refuse("invalid_request", 70007, `The response_mode '${modeParam}' is not supported.`);
    }
    const responseType = params.get("response_type");
    if (!responseType) return refuse("invalid_request", 900144, "The request body must contain the following parameter: 'response_type'.");
    if (responseType !== "code") {
      return refuse("unsupported_response_type", 700054, `response_type '${responseType}' is not enabled for the application.`);
    }
    const scope = params.get("scope");
    if (!scope) return refuse("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    const scopes = scope.split(" ").filter((s) => s.length > 0);
    const scopeFailure = checkAuthorizeScopes(scopes);
    if (scopeFailure) return refuse(scopeFailure.error, scopeFailure.code, scopeFailure.message);

    const codeChallenge = params.get("code_challenge");
    const method = params.get("code_challenge_method");
    if (method && !codeChallenge) return refuse("invalid_request", 50147, "The size of the code challenge parameter is not valid.");
    if (method && method !== "S256" && method !== "plain") return refuse("invalid_request", 50149, "Invalid Code_Challenge_method parameter.");
    if (codeChallenge && (codeChallenge.length < 43 || codeChallenge.length > 128)) {
      return refuse("invalid_request", 501491, "Invalid size of Code_Challenge parameter.");
    }
    // The emulator keeps no browser session, so a silent request never finds a signed-in user.
    if (params.get("prompt") === "none") {
      return refuse("login_required", 50058, "A silent sign-in request was sent but no user is signed in.");
    }

    const contextId = randomUUID();
    this.expireOld();
    this.pending.set(contextId, {
      clientId: app.clientId,
      redirectUri,
      responseMode: answerTo.responseMode,
      scopes,
      state: stateParam,
      nonce: params.get("nonce"),
      codeChallenge,
      // RFC 7636 §4.3: without a method, the challenge is plain.
      codeChallengeMethod: codeChallenge ? ((method ?? "plain") as "S256" | "plain") : null,
      clientInfo: params.get("client_info") === "1",
      tenantSegment,
      tenantId: tenant?.id,
      expiresAt: Date.now() + pendingLifetimeMs,
    });
    return htmlReply(200, renderSignInPage({ contextId, tenantSegment, app, tenant, username: params.get("login_hint") ?? "" }));
  }

  /** `POST /{tenant}/login`: the sign-in form (Entra posts its form to the same path). */
  submit(call: Call): Reply {
    const form = parseForm(call);
    const contextId = form.get("ctx") ?? "";
    const pending = this.pending.get(contextId);
    const correlationId = randomUUID();
    if (!pending || pending.expiresAt < Date.now()) {
      return htmlReply(400, renderErrorPage(50089, "Flow token expired. Authentication failed; start again from the application.", { traceId: randomUUID(), correlationId }));
    }
    const app = this.state.apps.get(pending.clientId);
    const fixedTenant = pending.tenantId ? this.state.findTenant(pending.tenantId) : undefined;
    if (!app || (pending.tenantId && !fixedTenant)) {
      this.pending.delete(contextId);
      return htmlReply(400, renderErrorPage(90002, "The tenant or application no longer exists.", { traceId: randomUUID(), correlationId }));
    }
    if (form.get("action") !== "Sign in") {
      this.pending.delete(contextId);
      return errorReply(pending, "access_denied", 65004, "User declined to consent to access the app.", correlationId);
    }

    const username = (form.get("loginfmt") ?? "").trim();
    const again = (error: string) =>
      htmlReply(200, renderSignInPage({ contextId, tenantSegment: pending.tenantSegment, app, tenant: fixedTenant, username, error }));
    if (!/^[^@\s]+@[^@\s]+$/.test(username)) return again("Enter a valid email address, phone number, or Skype name.");
    const found = this.findAccount(username);
    if (!found) return again("This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.");
    const { tenant: home, user } = found;
    if (fixedTenant && fixedTenant.id !== home.id) {
      return again(
        `AADSTS50020: User account '${username}' from identity provider 'https://sts.windows.net/${home.id}/' does not exist in tenant '${fixedTenant.displayName}' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Microsoft Entra user account.`,
      );
    }
    if (user.properties.accountEnabled === false) return again("AADSTS50057: The user account is disabled.");

    this.pending.delete(contextId);
    const sessionId = randomUUID();
    const code = this.codes.issue({
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      responseMode: pending.responseMode,
      scopes: pending.scopes,
      state: pending.state,
      nonce: pending.nonce,
      codeChallenge: pending.codeChallenge,
      codeChallengeMethod: pending.codeChallengeMethod,
      clientInfo: pending.clientInfo,
      tenantId: home.id,
      userId: user.id,
      sessionId,
    });
    return answer(pending, {
      code,
      client_info: pending.clientInfo ? clientInfoOf(user, home) : null,
      state: pending.state,
      session_state: sessionId,
    });
  }

  /** The account named `upn`: the tenant is the one that owns the name's domain. */
  private findAccount(upn: string): { tenant: Tenant; user: UserRecord } | undefined {
    const domain = upn.split("@")[1] ?? "";
    const tenant = this.state.findTenant(domain);
    const user = tenant ? findUserByIdOrUpn(tenant.users, upn) : undefined;
    return tenant && user ? { tenant, user } : undefined;
  }

  private expireOld(): void {
    const now = Date.now();
    for (const [id, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(id);
  }
}

/** `client_info`: base64url JSON of the user's object id and home tenant, which MSAL uses for the account's home id. */
export function clientInfoOf(user: UserRecord, tenant: Tenant): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString("base64url");
}

/**
 * Scopes of an authorize request: the OpenID Connect scopes, and Graph's (`User.Read`, `https://graph.microsoft.com/…`,
 * or `…/.default`, which cannot be mixed with named Graph scopes). Other resources are unknown to the emulator.
 */
function checkAuthorizeScopes(scopes: string[]): { error: string; code: number; message: string } | undefined {
  const resourceScopes = scopes.filter((s) => !oidcScopes.has(s.toLowerCase()));
  for (const scope of resourceScopes) {
    const resource = /^(https?:\/\/[^/]+|[0-9a-f-]{36})\/(.+)$/i.exec(scope)?.[1];
    if (resource && resource.replace(/\/$/, "") !== graphResource && resource.toLowerCase() !== graphAppId) {
      return {
        error: "invalid_resource",
        code: 500011,
        message: `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      };
    }
  }
  if (resourceScopes.some((s) => s.endsWith("/.default")) && resourceScopes.length > 1) {
    return {
      error: "invalid_scope",
      code: 70011,
      message: `The provided value for the input parameter 'scope' is not valid. The scope '${scopes.join(" ")}' is not valid. The .default scope can't be combined with resource-specific scopes.`,
    };
  }
  return undefined;
}

type Answer = { redirectUri: string; responseMode: ResponseMode };

/** Sends the browser back to the app with `params`, as the request's response_mode asks. */
function answer(target: Answer, params: Record<string, string | null | undefined>): Reply {
  const values = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== null && e[1] !== undefined));
  if (target.responseMode === "form_post") return htmlReply(200, renderFormPost(target.redirectUri, values));
  const url = new URL(target.redirectUri);
  if (target.responseMode === "fragment") {
    url.hash = new URLSearchParams(values).toString();
  } else {
    for (const [name, value] of Object.entries(values)) url.searchParams.append(name, value);
  }
  return redirectReply(url.toString());
}

function errorReply(target: Answer & { state: string | null }, error: string, code: number, message: string, correlationId: string): Reply {
  return answer(target, {
    error,
    error_description: stsDescription(code, message, randomUUID(), correlationId),
    error_uri: stsErrorUri(code),
    state: target.state,
  });
}
