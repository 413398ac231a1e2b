import type { LaunchCredential } from "../shared/api-types";
import { isMicrosoftSignInUrl } from "../shared/microsoft-origins";
import { isGrantsTenantSignIn } from "./sign-in-tenant";
import type { ContentRequest, Responses } from "../shared/messages";
import { isConnected, readSettings } from "./settings";
import { rememberMfaDemand } from "./mfa-demands";
import { reportProblem } from "./problems";
import { asApiError, callStint, StintApiError } from "./stint-api";
import { bindingOf, unbindTab, type Binding } from "./tab-bindings";

type Sender = Pick<chrome.runtime.MessageSender, "tab" | "frameId" | "url">;

const notForThisPage = { ok: false as const, code: "not_bound", message: "This tab was not opened by Stint for a sign-in." };

/**
 * The binding a content script may act on: its tab was opened for a grant, it runs in the top frame, and
 * the page is on a Microsoft sign-in origin right now, for the grant's tenant. Anything else gets nothing.
 */
function bindingFor(sender: Sender): Binding | undefined {
  if (sender.frameId !== 0 || !isMicrosoftSignInUrl(sender.url)) return undefined;
  const binding = bindingOf(sender.tab?.id);
  return binding && isGrantsTenantSignIn(sender.url, binding) ? binding : undefined;
}

/** Redeems the tab's ticket (once: the ticket is forgotten before the call) and checks the account is the grant's. */
async function credentialFor(binding: Binding): Promise<LaunchCredential> {
  if (binding.credential) return binding.credential;
  const ticket = binding.ticket;
  binding.ticket = null;
  const settings = await readSettings();
  if (!ticket || !isConnected(settings)) throw new StintApiError(401, "not_connected", "Connect the extension to Stint first.");
  const credential = await callStint(settings, "redeemLaunchTicket", { body: { ticket } });
  if (credential.userPrincipalName.toLowerCase() !== binding.upn.toLowerCase()) {
    throw new StintApiError(409, "wrong_account", "Stint returned a different account than the grant's.");
  }
  binding.credential = credential;
  return credential;
}

export async function answerContent(request: ContentRequest, sender: Sender): Promise<Responses[ContentRequest["type"]]> {
  const binding = bindingFor(sender);
  const tabId = sender.tab?.id;
  if (!binding || tabId === undefined) return notForThisPage;
  switch (request.type) {
    case "fill:credentials": {
      if (binding.stage !== "credentials") return notForThisPage;
      try {
        const credential = await credentialFor(binding);
        const secret = credential.signInMethod === "tap" ? credential.temporaryAccessPass : credential.password;
        if (!secret) throw new StintApiError(409, "no_secret", "Stint returned no secret for this grant's sign-in method.");
        binding.signInMethod = credential.signInMethod;
        return { ok: true, userPrincipalName: credential.userPrincipalName, signInMethod: credential.signInMethod, secret };
      } catch (error) {
        unbindTab(tabId);
        const e = asApiError(error);
        reportProblem(`Signing in was stopped: ${e.message}`);
        return { ok: false, code: e.code, message: e.message };
      }
    }
    case "fill:submitted":
      // The secret is in Microsoft's hands now: drop it from memory.
      delete binding.credential;
      binding.stage = "kmsi";
      return { ok: true };
    case "fill:kmsi": {
      if (binding.stage !== "kmsi") return notForThisPage;
      unbindTab(tabId);
      return { ok: true, staySignedIn: (await readSettings()).staySignedIn === true };
    }
    case "fill:failed": {
      unbindTab(tabId);
      const passwordStoppedByMfa = request.reason === "mfa_prompt" && binding.signInMethod !== "tap";
      if (passwordStoppedByMfa) await rememberMfaDemand(binding.customerId);
      reportProblem(request.reason === "mfa_prompt" ? `mfa_prompt:${binding.signInMethod ?? "password"}` : request.reason);
      return { ok: true };
    }
  }
}
