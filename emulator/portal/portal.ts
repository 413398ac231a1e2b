import { adminPortalClientIds } from "../catalog/admin-portals";
import type { Call } from "../http/call";
import { escapeHtml, htmlReply, redirectReply, type Reply } from "../http/reply";
import { Router } from "../http/router";
import { page } from "../login/consent-page";
import type { EmulatorState } from "../state";
import type { PortalSignInCodes } from "./sign-in-codes";

export const portalHost = "portal.azure.com";
const signInReturnUrl = `https://${portalHost}/signin/index/`;

/** Whether a sign-in's `redirect_uri` is the emulated portal, the only place the login host sends a sign-in code. */
export function isPortalAddress(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && parsed.host === portalHost;
  } catch {
    return false;
  }
}

type PortalHandler = (call: Call, params: Record<string, string>) => Reply;

/**
 * A tiny Azure portal, served when the Host header is `portal.azure.com` (browser tests map that name to the
 * emulator): `/{tenant}` sends the browser to the sign-in page as the portal's client, and `/signin/index/` shows who
 * came back. It proves a sign-in reached the portal, nothing more.
 */
export class AzurePortal {
  private readonly router = new Router<PortalHandler>();

  constructor(
    private readonly state: EmulatorState,
    private readonly codes: PortalSignInCodes,
  ) {
    this.router
      .on("GET", "/", () => toSignIn("organizations"))
      .on("GET", "/signin/index", (call) => this.signedIn(call))
      .on("GET", "/:tenant", (_call, params) => toSignIn(params.tenant ?? ""));
  }

  static serves(call: Call): boolean {
    return call.url.hostname.toLowerCase() === portalHost;
  }

  handle(call: Call): Reply {
    const match = this.router.match(call.method, call.url.pathname);
    if (match.kind === "found") return match.handler(call, match.params);
    const status = match.kind === "method-not-allowed" ? 405 : 404;
    return htmlReply(status, page("Microsoft Azure", `<h1 id="portalError">The emulated portal has no ${escapeHtml(`${call.method} ${call.url.pathname}`)}</h1>`));
  }

  private signedIn(call: Call): Reply {
    const signIn = this.codes.redeem(call.url.searchParams.get("code") ?? "");
    const tenant = signIn ? this.state.findTenant(signIn.tenantId) : undefined;
    if (!signIn || !tenant) {
      return htmlReply(
        400,
        page("Microsoft Azure", `<h1 id="portalError">We couldn't sign you in</h1><p class="description">The sign-in code is missing, unknown, used or expired.</p>`),
      );
    }
    return htmlReply(
      200,
      page(
        "Microsoft Azure",
        `<h1 id="portalHome">Microsoft Azure</h1>
         <p>Signed in as <span id="signedInAs">${escapeHtml(signIn.userPrincipalName)}</span></p>
         <p>Directory: <span id="tenantName">${escapeHtml(tenant.displayName)}</span></p>`,
      ),
    );
  }
}

function toSignIn(tenant: string): Reply {
  const query = new URLSearchParams({ client_id: adminPortalClientIds.azurePortal, redirect_uri: signInReturnUrl });
  return redirectReply(`https://login.microsoftonline.com/${encodeURIComponent(tenant)}/login?${query.toString()}`);
}
