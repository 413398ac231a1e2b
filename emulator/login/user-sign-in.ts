import { randomBytes, randomUUID } from "node:crypto";
import { parseForm, type Call } from "../http/call";
import { escapeHtml, htmlReply, jsonReply, redirectReply, type Reply } from "../http/reply";
import { isPortalAddress } from "../portal/portal";
import type { PortalSignIn, PortalSignInCodes } from "../portal/sign-in-codes";
import { findUserByIdOrUpn, nowIso, type EmulatorState, type SignInOutcome, type SignInRecord, type Tenant, type UserRecord } from "../state";
import { markUsed, offersPass, signInWithPass } from "../tap/pass";
import { renderErrorPage } from "./consent-page";
import { requiresMfa } from "./mfa-requirement";
import {
  renderCredentialsPage, renderKmsiPage, renderProofUpNotEmulatedPage, renderProofUpPage, renderSignedInPage,
  type CredentialsView, type CredentialsViewModel,
} from "./user-sign-in-page";

/** Who asked for the sign-in (`client_id`) and where the browser goes once it is done (`redirect_uri`), when named. */
interface Origin {
  clientId: string | null;
  redirectUri: string | null;
}

type Flow =
  | { kind: "credentials"; tenantSegment: string; origin: Origin; expiresAt: number }
  | { kind: "kmsi"; record: SignInRecord; account: PortalSignIn; origin: Origin; expiresAt: number };

type Attempt = Pick<SignInRecord, "method" | "passwordMatched" | "tapMatched" | "outcome">;

const flowLifetimeMs = 15 * 60_000;
const multiTenantSegments = new Set(["common", "organizations"]);
const invalidUsername = "Enter a valid email address, phone number, or Skype name.";
const unknownUsername = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.";
// The emulator's wording: Microsoft does not document the text for a wrong or expired pass.
const wrongPass = "The Temporary Access Pass is incorrect or has expired.";
// learn: howto-authentication-temporary-access-pass, troubleshooting.
const blockedPass = "Temporary Access Pass sign in was blocked due to User Credential Policy.";

/**
 * The user sign-in page a browser (and its password manager) meets on `login.microsoftonline.com/{tenant}/login`
 * (README, "User sign-in page"): username, then password or Temporary Access Pass, then "Stay signed in?" (or the MFA
 * stop page). Every password and pass submission is recorded in the tenant (`Tenant.signIns`) with whether it
 * matched, never the secret.
 */
export class UserSignIn {
  private readonly flows = new Map<string, Flow>();

  constructor(
    private readonly state: EmulatorState,
    private readonly portalCodes: PortalSignInCodes,
  ) {}

  /** Whether a `POST /{tenant}/login` belongs to this page (it carries `flowToken`; the authorize page's does not). */
  static owns(call: Call): boolean {
    return parseForm(call).has("flowToken");
  }

  /** `GET /{tenant}/login` and `GET /{tenant}`: step 1, the username view. */
  start(call: Call, tenantSegment: string): Reply {
    const refused = this.checkTenant(tenantSegment);
    if (refused) return refused;
    const params = call.url.searchParams;
    const origin: Origin = { clientId: params.get("client_id")?.toLowerCase() ?? null, redirectUri: params.get("redirect_uri") };
    const flowToken = this.newFlow({ kind: "credentials", tenantSegment, origin, expiresAt: Date.now() + flowLifetimeMs });
    const username = params.get("login_hint") ?? params.get("username") ?? "";
    return htmlReply(200, renderCredentialsPage({ tenantSegment, flowToken, view: "username", username, errorCode: "50058" }));
  }

  /**
   * `POST /common/GetCredentialType`: what the page's script asks after the username. The flow token names the
   * tenant; without a live one the account's domain does, as on `common`.
   */
  credentialType(call: Call): Reply {
    const body = parseJsonObject(call);
    const username = typeof body.username === "string" ? body.username.trim() : "";
    const flow = this.flows.get(typeof body.flowToken === "string" ? body.flowToken : "");
    const tenantSegment = flow?.kind === "credentials" && flow.expiresAt >= Date.now() ? flow.tenantSegment : "common";
    const { tenant, user } = this.findAccount(tenantSegment, username);
    return jsonReply(200, {
      Username: username,
      IfExistsResult: user ? 0 : 1,
      Credentials: { PrefCredential: 1, HasPassword: true, HasAccessPass: tenant !== undefined && user !== undefined && offersPass(tenant, user) },
    });
  }

  /** `POST /{tenant}/login`: the username step (scripts off), or the password or pass step (`type=11`). */
  submit(call: Call): Reply {
    const form = parseForm(call);
    const flowToken = form.get("flowToken") ?? "";
    const flow = this.flows.get(flowToken);
    if (!flow || flow.kind !== "credentials" || flow.expiresAt < Date.now()) return expired();
    const { tenantSegment, origin } = flow;
    const username = (form.get("loginfmt") ?? "").trim();
    const view = (v: CredentialsView, extra: Partial<CredentialsViewModel> = {}) =>
      htmlReply(200, renderCredentialsPage({ tenantSegment, flowToken, view: v, username, errorCode: "50058", ...extra }));

    if (!/^[^@\s]+@[^@\s]+$/.test(username)) return view("username", { usernameError: invalidUsername });
    const { tenant, user } = this.findAccount(tenantSegment, username);
    // A post from the pass view carries `accesspass`: the field is disabled in the other views.
    const method = form.has("accesspass") ? "tap" : "password";

    if (form.get("type") !== "11") {
      // The scripts-off Next: what GetCredentialType would have told the script.
      if (!tenant || !user) return view("username", { usernameError: unknownUsername, errorCode: "50034" });
      return view(offersPass(tenant, user) ? "accessPass" : "password");
    }
    if (!tenant || !user) {
      tenant?.signIns.push(record(username, null, { method, passwordMatched: false, tapMatched: false, outcome: "unknown-account" }));
      return view("username", { usernameError: unknownUsername, errorCode: "50034" });
    }

    const attempt =
      method === "tap"
        ? passAttempt(tenant, user, form.get("accesspass") ?? "")
        : passwordAttempt(tenant, user, form.get("passwd") ?? "", origin.clientId);
    const entry = record(username, user.id, attempt);
    tenant.signIns.push(entry);

    switch (entry.outcome) {
      case "wrong-password":
        return view("password", {
          errorCode: "50126",
          passwordErrorHtml:
            `Your account or password is incorrect. If you don't remember your password, <a id="idA_IL_ForgotPassword0" href="#">reset it now.</a>` +
            `<div id="errorCode" class="description">${escapeHtml("AADSTS50126: Error validating credentials due to invalid username or password.")}</div>`,
        });
      case "wrong-tap":
        return view("accessPass", { accessPassError: wrongPass });
      case "tap-blocked":
        return view("accessPass", { accessPassError: blockedPass });
      case "account-disabled":
        return htmlReply(400, renderErrorPage(50057, "The user account is disabled.", { traceId: randomUUID(), correlationId: randomUUID() }));
      case "mfa-required":
        this.flows.delete(flowToken);
        return htmlReply(200, renderProofUpPage({ username, differentAccountUrl: startUrl(tenantSegment, origin) }));
      default: {
        this.flows.delete(flowToken);
        const account = { tenantId: tenant.id, userPrincipalName: String(user.properties.userPrincipalName) };
        const kmsiToken = this.newFlow({ kind: "kmsi", record: entry, account, origin, expiresAt: Date.now() + flowLifetimeMs });
        return htmlReply(200, renderKmsiPage({ flowToken: kmsiToken, username }));
      }
    }
  }

  /**
   * `POST /kmsi`: "Stay signed in?" answered; `LoginOptions=1` is Yes, anything else (the page's No sends 3) is No.
   * A sign-in that came from the emulated portal returns there with a one-time code; others end on a page here.
   */
  kmsi(call: Call): Reply {
    const form = parseForm(call);
    const flowToken = form.get("flowToken") ?? "";
    const flow = this.flows.get(flowToken);
    if (!flow || flow.kind !== "kmsi" || flow.expiresAt < Date.now()) return expired();
    this.flows.delete(flowToken);
    flow.record.kmsi = form.get("LoginOptions") === "1" ? "yes" : "no";
    flow.record.dontShowAgain = form.get("DontShowAgain") === "true";
    flow.record.outcome = "signed-in";
    const { redirectUri } = flow.origin;
    if (redirectUri !== null && isPortalAddress(redirectUri)) {
      const target = new URL(redirectUri);
      target.searchParams.set("code", this.portalCodes.issue(flow.account));
      return redirectReply(target.toString());
    }
    return htmlReply(200, renderSignedInPage(flow.record.userPrincipalName));
  }

  /** `GET /proofup`: where the MFA stop page's Next leads. */
  proofUp(): Reply {
    return htmlReply(200, renderProofUpNotEmulatedPage());
  }

  private checkTenant(tenantSegment: string): Reply | undefined {
    if (multiTenantSegments.has(tenantSegment.toLowerCase()) || this.state.findTenant(tenantSegment)) return undefined;
    return htmlReply(
      400,
      renderErrorPage(90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, {
        traceId: randomUUID(),
        correlationId: randomUUID(),
      }),
    );
  }

  /** The tenant is the one the path names, or (for `common`/`organizations`) the one owning the name's domain. */
  private findAccount(tenantSegment: string, upn: string): { tenant: Tenant | undefined; user: UserRecord | undefined } {
    const tenant = multiTenantSegments.has(tenantSegment.toLowerCase())
      ? this.state.findTenant(upn.split("@")[1] ?? "")
      : this.state.findTenant(tenantSegment);
    return { tenant, user: tenant ? findUserByIdOrUpn(tenant.users, upn) : undefined };
  }

  private newFlow(flow: Flow): string {
    const now = Date.now();
    for (const [token, entry] of this.flows) if (entry.expiresAt < now) this.flows.delete(token);
    const token = randomBytes(32).toString("base64url");
    this.flows.set(token, flow);
    return token;
  }
}

/** The password is checked before the account state, and MFA last: only a right password learns that MFA is needed. */
function passwordAttempt(tenant: Tenant, user: UserRecord, passwd: string, clientId: string | null): Attempt {
  const passwordMatched = passwd.length > 0 && passwd === user.password;
  const outcome: SignInOutcome = !passwordMatched
    ? "wrong-password"
    : user.properties.accountEnabled === false
      ? "account-disabled"
      : requiresMfa(tenant, user.id, clientId)
        ? "mfa-required"
        : "password-accepted";
  return { method: "password", passwordMatched, tapMatched: false, outcome };
}

/** A pass is a strong credential: an accepted one satisfies MFA, so no MFA stop follows it. */
function passAttempt(tenant: Tenant, user: UserRecord, typed: string): Attempt {
  const { matched, verdict } = signInWithPass(tenant, user, typed);
  const outcome: SignInOutcome =
    verdict === "blocked" ? "tap-blocked" : verdict === "wrong" ? "wrong-tap" : user.properties.accountEnabled === false ? "account-disabled" : "tap-accepted";
  if (outcome === "tap-accepted" && user.temporaryAccessPass) markUsed(user.temporaryAccessPass);
  return { method: "tap", passwordMatched: false, tapMatched: matched, outcome };
}

function record(userPrincipalName: string, userId: string | null, attempt: Attempt): SignInRecord {
  return { at: nowIso(), userPrincipalName, userId, ...attempt, kmsi: null, dontShowAgain: false };
}

/** The sign-in page again, for the same app and return address ("Use a different account"). */
function startUrl(tenantSegment: string, origin: Origin): string {
  const query = new URLSearchParams();
  if (origin.clientId) query.set("client_id", origin.clientId);
  if (origin.redirectUri) query.set("redirect_uri", origin.redirectUri);
  const search = query.toString();
  return `/${encodeURIComponent(tenantSegment)}/login${search ? `?${search}` : ""}`;
}

function parseJsonObject(call: Call): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(call.body.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function expired(): Reply {
  return htmlReply(
    400,
    renderErrorPage(50089, "Flow token expired. Authentication failed; start again.", { traceId: randomUUID(), correlationId: randomUUID() }),
  );
}
