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
  if (view !== "username" && view !== "password") return;
  // A page that came back with Microsoft's own refusal (wrong password, unknown account) is not retried.
  if (isShown(document.querySelector(selectors.passwordError))) {
    await ask({ type: "fill:failed", reason: "refused_by_microsoft" });
    return;
  }
  const answer = await ask({ type: "fill:credentials" });
  if (!answer.ok) return;
  const outcome = await fillSignIn(document, { userPrincipalName: answer.userPrincipalName, password: answer.password }, () => ask({ type: "fill:submitted" }));
  if (outcome !== "submitted") await ask({ type: "fill:failed", reason: outcome });
}

if (window.top === window) void main();
