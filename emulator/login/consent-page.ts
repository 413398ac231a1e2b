import { applicationPermissions } from "../catalog/permissions";
import { escapeHtml } from "../http/reply";
import type { AppRegistration, Tenant } from "../state";

const styles = `
  body { font-family: "Segoe UI", system-ui, sans-serif; background: #f2f2f2; margin: 0; }
  main { max-width: 440px; margin: 48px auto; background: #fff; padding: 44px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  .banner { background: #fff4ce; border: 1px solid #e6d08a; padding: 8px 12px; font-size: 13px; margin-bottom: 20px; }
  h1 { font-size: 24px; font-weight: 600; margin: 0 0 8px; }
  .app { font-weight: 600; }
  ul { padding-left: 20px; }
  li { margin: 6px 0; }
  .description { color: #555; font-size: 13px; }
  .buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px; }
  input[type=submit] { min-width: 108px; padding: 6px 12px; font-size: 15px; border: 1px solid #8a8886; background: #fff; cursor: pointer; }
  input.primary { background: #0067b8; color: #fff; border-color: #0067b8; }
  select { width: 100%; padding: 6px; font-size: 15px; }
  label { display: block; margin: 12px 0 4px; }
  input[type=email] { width: 100%; box-sizing: border-box; padding: 6px 0; font-size: 15px; border: none; border-bottom: 1px solid #666; }
  .error { color: #e81123; font-size: 13px; margin-top: 6px; }
  .buttons.signin { flex-direction: row-reverse; justify-content: flex-start; }
  code { font-size: 13px; }
`;

/** The emulator's page frame: Microsoft's look, with a banner saying it is not Microsoft. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${styles}</style></head>
<body><main><div class="banner">Entra emulator: not Microsoft. Nothing here reaches a real tenant.</div>${body}</main></body></html>`;
}

export interface ConsentPageModel {
  contextId: string;
  app: AppRegistration;
  /** Undefined when the request named `common` or `organizations`: the page then asks which tenant's admin this is. */
  tenant: Tenant | undefined;
  tenants: Tenant[];
}

/**
 * The "Permissions requested / Accept for your organization" page. Accept and Cancel keep the ids of Microsoft's
 * pages (`idSIButton9`, `idBtn_Back`) so browser tests can use the same selectors.
 */
export function renderConsentPage(model: ConsentPageModel): string {
  const permissions = model.app.requiredPermissions
    .map((p) => `<li><span class="permission">${escapeHtml(p)}</span><div class="description">${escapeHtml(applicationPermissions[p])}</div></li>`)
    .join("");
  const tenantPart = model.tenant
    ? `<p>Organization: <span class="tenant">${escapeHtml(model.tenant.displayName)}</span></p>`
    : `<p><label for="tenant">Sign in as an administrator of</label></p>
       <select id="tenant" name="tenant">${model.tenants
         .map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(t.displayName)} (${escapeHtml(t.domains[0]?.id ?? t.id)})</option>`)
         .join("")}</select>`;
  return page(
    "Permissions requested",
    `<form method="post" action="/consent/decision" id="consentForm">
      <h1>Permissions requested</h1>
      <p><span class="app">${escapeHtml(model.app.displayName)}</span> <span class="description">unverified</span></p>
      ${tenantPart}
      <p>This app would like to:</p>
      <ul id="permissions">${permissions}</ul>
      <p class="description">If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>
      <input type="hidden" name="ctx" value="${escapeHtml(model.contextId)}">
      <div class="buttons">
        <input type="submit" id="idBtn_Back" name="action" value="Cancel">
        <input type="submit" id="idSIButton9" class="primary" name="action" value="Accept">
      </div>
    </form>`,
  );
}

/** Errors the login host shows instead of redirecting, because the redirect URI cannot be trusted. */
export function renderErrorPage(code: number, message: string, details: { traceId: string; correlationId: string }): string {
  return page(
    "Sign in to your account",
    `<h1>Sorry, but we're having trouble signing you in.</h1>
     <p id="errorCode">AADSTS${code}: ${escapeHtml(message)}</p>
     <p class="description">Request Id: ${escapeHtml(details.traceId)}<br>Correlation Id: ${escapeHtml(details.correlationId)}</p>`,
  );
}
