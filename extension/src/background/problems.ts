/**
 * The last sign-in that went wrong, for the popup to explain (a content script cannot show UI of its own
 * on Microsoft's page). Kept in memory, shown once; the toolbar badge says there is something to read.
 */
let last: string | null = null;

const reasons: Record<string, string> = {
  wrong_account: "The sign-in page showed another account, so Stint filled nothing. Sign out of that account and try again.",
  rejected: "Microsoft did not accept the account name. The account may not have replicated yet: try again in a minute.",
  unexpected_page: "Microsoft showed a page Stint does not recognise, so nothing was filled.",
  refused_by_microsoft: "Microsoft refused the sign-in. If the grant is still active, ask your admin to check the account.",
  password_asked:
    "Microsoft asked for a password instead of the Temporary Access Pass. A new pass can take a few minutes to reach Microsoft's sign-in page: try Sign in again in a minute.",
  tap_asked: "Microsoft asked for a Temporary Access Pass, but this grant signs in with a password. Ask your admin to check the customer's sign-in method.",
  "mfa_prompt:password":
    "Microsoft asks this account for MFA (\"More information required\"): it signs in with a password only, and Microsoft requires MFA on its admin portals. An admin can switch the customer to Temporary Access Pass sign-in (if the tenant allows passes); then request access again.",
  "mfa_prompt:tap":
    "You are signed in with the Temporary Access Pass, and Microsoft now asks to register security info for the account. Stint registers nothing on your behalf: skip it if Microsoft offers to, or continue in that tab yourself.",
};

export function reportProblem(reasonOrMessage: string): void {
  last = reasons[reasonOrMessage] ?? reasonOrMessage;
  void chrome.action.setBadgeText({ text: "!" });
  void chrome.action.setBadgeBackgroundColor({ color: "#b91c1c" });
}

export function takeProblem(): string | null {
  const problem = last;
  last = null;
  void chrome.action.setBadgeText({ text: "" });
  return problem;
}
