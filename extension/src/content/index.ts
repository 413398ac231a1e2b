import { ask } from "../shared/messages";
import { answerStaySignedIn, fillSignIn } from "./fill-sign-in";
import { isShown, selectors, viewOf } from "./sign-in-page";

/**
 * Runs on Microsoft's sign-in origins only (the manifest's matches), in the top frame. It asks the
 * background for a credential, which is answered only in a tab Stint opened for a grant; on every other
 * Microsoft sign-in page it does nothing at all. The credential lives in this function's scope for the fill.
 */
async function main(): Promise<void> {
  const view = viewOf(document);
  if (view === "kmsi") {
    const answer = await ask({ type: "fill:kmsi" });
    if (answer.ok) answerStaySignedIn(document, answer.staySignedIn);
    return;
  }
  if (view === "mfa") {
    // Microsoft stopped the sign-in for MFA or to register security info: left to the technician,
    // and explained in the popup (only in a tab Stint signed in; elsewhere the background ignores it).
    await ask({ type: "fill:failed", reason: "mfa_prompt" });
    return;
  }
  if (view !== "username" && view !== "password" && view !== "tap") return;
  // A page that came back with Microsoft's own refusal (wrong password or pass, unknown account) is not retried.
  if (isShown(document.querySelector(selectors.passwordError)) || isShown(document.querySelector(selectors.accessPassError))) {
    await ask({ type: "fill:failed", reason: "refused_by_microsoft" });
    return;
  }
  const answer = await ask({ type: "fill:credentials" });
  if (!answer.ok) return;
  const outcome = await fillSignIn(document, { userPrincipalName: answer.userPrincipalName, signInMethod: answer.signInMethod, secret: answer.secret }, () =>
    ask({ type: "fill:submitted" }),
  );
  if (outcome !== "submitted") await ask({ type: "fill:failed", reason: outcome });
}

if (window.top === window) void main();
