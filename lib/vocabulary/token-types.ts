/** The kinds of access token: a member's personal token, and the one the browser extension holds. */
export const tokenTypes = ["personal", "extension"] as const;
export type TokenType = (typeof tokenTypes)[number];
