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
