import { escapeHtml } from "../http/reply";
import type { AppRegistration, Tenant } from "../state";
import { page } from "./consent-page";

export interface SignInPageModel {
  contextId: string;
  /** The `{tenant}` path segment of the authorize request; the form posts back under it, as Entra's `/{tenant}/login`. */
  tenantSegment: string;
  app: AppRegistration;
  /** Undefined for `common`/`organizations`: the account's domain then decides the tenant. */
  tenant: Tenant | undefined;
  username: string;
  error?: string;
}

/**
 * The sign-in page behind `/{tenant}/oauth2/v2.0/authorize`. It keeps the ids of Microsoft's "ConvergedSignIn" page
 * as they are seen on login.microsoftonline.com: form `#i0281`, username `input[name=loginfmt]#i0116`, primary button `#idSIButton9`, back `#idBtn_Back`,
 * error `#usernameError`. Unlike Entra it asks for no password: the account name alone signs in (README, fidelity).
 *
 * "Sign in" comes first in the document, so pressing Enter in the field signs in; CSS shows it on the right.
 */
export function renderSignInPage(model: SignInPageModel): string {
  const users = model.tenant ? [...model.tenant.users.values()].map((u) => String(u.properties.userPrincipalName)).sort() : [];
  const tenantPart = model.tenant ? `<p>Organization: <span class="tenant">${escapeHtml(model.tenant.displayName)}</span></p>` : "";
  const error = model.error ? `<div id="usernameError" class="error" role="alert">${escapeHtml(model.error)}</div>` : "";
  const accounts =
    users.length > 0
      ? `<p class="description">Accounts in this organization:</p>
         <ul id="accounts">${users.map((u) => `<li><code>${escapeHtml(u)}</code></li>`).join("")}</ul>`
      : "";
  return page(
    "Sign in to your account",
    `<form method="post" action="/${encodeURIComponent(model.tenantSegment)}/login" id="i0281" name="f1" autocomplete="off">
      <h1 id="loginHeader">Sign in</h1>
      <p class="description">to continue to <span class="app">${escapeHtml(model.app.displayName)}</span></p>
      ${tenantPart}
      <label for="i0116">Email address</label>
      <input type="email" id="i0116" name="loginfmt" maxlength="113" required autocomplete="username"
        placeholder="someone@example.com" value="${escapeHtml(model.username)}"${model.error ? ' aria-invalid="true" aria-describedby="usernameError"' : ""}>
      ${error}
      ${accounts}
      <p class="description">Emulator: no password is asked. Any account of an emulated tenant can sign in by its name.</p>
      <input type="hidden" name="ctx" value="${escapeHtml(model.contextId)}">
      <div class="buttons signin">
        <input type="submit" id="idSIButton9" class="primary" name="action" value="Sign in">
        <input type="submit" id="idBtn_Back" name="action" value="Cancel" formnovalidate>
      </div>
    </form>`,
  );
}

/** `response_mode=form_post`: an auto-submitting form to the redirect URI (with a button when scripts are off). */
export function renderFormPost(redirectUri: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body><form method="post" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form>
<script>document.forms[0].submit();</script></body></html>`;
}
