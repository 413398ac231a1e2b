import type { Connected } from "./settings";
import { callStint } from "./stint-api";
import { bindTab, unbindGrant } from "./tab-bindings";

/**
 * Sign in for a grant: Stint checks the grant is still the technician's and active and issues a one-time
 * launch ticket (≤ 60 s, bound to grant, member and this extension's token); the extension opens the
 * sign-in address Stint gives and binds the new tab to the grant, so only that tab's content script can
 * redeem the ticket, and only for that grant's account.
 */
export async function launchSignIn(settings: Connected, grantId: string): Promise<number> {
  const base = { serverUrl: settings.serverUrl, token: settings.token };
  try {
    const grant = await callStint(base, "getGrant", { params: { grantId } });
    const launch = await callStint(base, "issueLaunchTicket", { params: { grantId } });
    if (new URL(launch.signInUrl).protocol !== "https:") throw new Error("Stint gave a sign-in address that is not https.");
    const tab = await chrome.tabs.create({ url: launch.signInUrl, active: true });
    bindTab(tab.id!, { grantId, customerId: grant.customerId, upn: grant.upn, tenantId: launch.tenantId, ticket: launch.ticket });
    return tab.id!;
  } catch (error) {
    unbindGrant(grantId);
    throw error;
  }
}
