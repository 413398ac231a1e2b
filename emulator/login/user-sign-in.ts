import { randomBytes, randomUUID } from "node:crypto";
import { parseForm, type Call } from "../http/call";
import { escapeHtml, htmlReply, type Reply } from "../http/reply";
import { findUserByIdOrUpn, nowIso, type EmulatorState, type SignInRecord, type Tenant, type UserRecord } from "../state";
import { renderErrorPage } from "./consent-page";
import { renderCredentialsPage, renderKmsiPage, renderSignedInPage } from "./user-sign-in-page";

type Flow =
  | { kind: "credentials"; tenantSegment: string; expiresAt: number }
  | { kind: "kmsi"; record: SignInRecord; expiresAt: number };

const flowLifetimeMs = 15 * 60_000;
const multiTenantSegments = new Set(["common", "organizations"]);
const invalidUsername = "Enter a valid email address, phone number, or Skype name.";
const unknownUsername = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.";

/**
 * The user sign-in page a browser (and its password manager) meets on `login.microsoftonline.com/{tenant}/login`
 * (README, "User sign-in page"): username, then password, then "Stay signed in?". Every password submission is
 * recorded in the tenant (`Tenant.signIns`) with whether the password matched, never the password.
 */
export class UserSignIn {
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly state: EmulatorState) {}

  /** Whether a `POST /{tenant}/login` belongs to this page (it carries `flowToken`; the authorize page's does not). */
  static owns(call: Call): boolean {
    return parseForm(call).has("flowToken");
  }

  /** `GET /{tenant}/login` and `GET /{tenant}`: step 1, the username view. */
  start(call: Call, tenantSegment: string): Reply {
    const refused = this.checkTenant(tenantSegment);
    if (refused) return refused;
    const flowToken = this.newFlow({ kind: "credentials", tenantSegment, expiresAt: Date.now() + flowLifetimeMs });
    const params = call.url.searchParams;
    const username = params.get("login_hint") ?? params.get("username") ?? "";
    return htmlReply(200, renderCredentialsPage({ tenantSegment, flowToken, view: "username", username, errorCode: "50058" }));
  }

  /** `POST /{tenant}/login`: the username step (scripts off) or the password step (`type=11`). */
  submit(call: Call): Reply {
    const form = parseForm(call);
    const flowToken = form.get("flowToken") ?? "";
    const flow = this.flows.get(flowToken);
    if (!flow || flow.kind !== "credentials" || flow.expiresAt < Date.now()) return expired();
    const { tenantSegment } = flow;
    const username = (form.get("loginfmt") ?? "").trim();
    const view = (v: "username" | "password", errors: { usernameError?: string; passwordErrorHtml?: string; errorCode?: string } = {}) =>
      htmlReply(200, renderCredentialsPage({ tenantSegment, flowToken, view: v, username, errorCode: errors.errorCode ?? "50058", ...errors }));

    if (!/^[^@\s]+@[^@\s]+$/.test(username)) return view("username", { usernameError: invalidUsername });
    const { tenant, user } = this.findAccount(tenantSegment, username);

    if (form.get("type") !== "11") {
      // The real page asks GetCredentialType here; an unknown account stays on the username view.
      return user ? view("password") : view("username", { usernameError: unknownUsername, errorCode: "50034" });
    }

    const passwd = form.get("passwd") ?? "";
    const passwordMatched = user !== undefined && passwd.length > 0 && passwd === user.password;
    const record: SignInRecord = {
      at: nowIso(),
      userPrincipalName: username,
      userId: user?.id ?? null,
      passwordMatched,
      outcome: !user ? "unknown-account" : !passwordMatched ? "wrong-password" : user.properties.accountEnabled === false ? "account-disabled" : "password-accepted",
      kmsi: null,
      dontShowAgain: false,
    };
    tenant?.signIns.push(record);

    switch (record.outcome) {
      case "unknown-account":
        return view("username", { usernameError: unknownUsername, errorCode: "50034" });
      case "wrong-password":
        return view("password", {
          errorCode: "50126",
          passwordErrorHtml:
            `Your account or password is incorrect. If you don't remember your password, <a id="idA_IL_ForgotPassword0" href="#">reset it now.</a>` +
            `<div id="errorCode" class="description">${escapeHtml("AADSTS50126: Error validating credentials due to invalid username or password.")}</div>`,
        });
      case "account-disabled":
        return htmlReply(400, renderErrorPage(50057, "The user account is disabled.", { traceId: randomUUID(), correlationId: randomUUID() }));
      default:
        this.flows.delete(flowToken);
        return htmlReply(200, renderKmsiPage({ flowToken: this.newFlow({ kind: "kmsi", record, expiresAt: Date.now() + flowLifetimeMs }), username }));
    }
  }

  /** `POST /kmsi`: "Stay signed in?" answered; `LoginOptions=1` is Yes, anything else (the page's No sends 3) is No. */
  kmsi(call: Call): Reply {
    const form = parseForm(call);
    const flowToken = form.get("flowToken") ?? "";
    const flow = this.flows.get(flowToken);
    if (!flow || flow.kind !== "kmsi" || flow.expiresAt < Date.now()) return expired();
    this.flows.delete(flowToken);
    flow.record.kmsi = form.get("LoginOptions") === "1" ? "yes" : "no";
    flow.record.dontShowAgain = form.get("DontShowAgain") === "true";
    flow.record.outcome = "signed-in";
    return htmlReply(200, renderSignedInPage(flow.record.userPrincipalName));
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

function expired(): Reply {
  return htmlReply(
    400,
    renderErrorPage(50089, "Flow token expired. Authentication failed; start again.", { traceId: randomUUID(), correlationId: randomUUID() }),
  );
}
