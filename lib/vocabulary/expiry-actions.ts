/** The steps that end a JIT account's access, in the order a customer configures. */
export const expiryActions = ["remove_roles", "remove_tap", "revoke_sessions", "disable", "rotate_password", "delete"] as const;
export type ExpiryAction = (typeof expiryActions)[number];

export const expiryActionLabels: Record<ExpiryAction, string> = {
  remove_roles: "Remove role assignments",
  remove_tap: "Remove the Temporary Access Pass",
  revoke_sessions: "Revoke sign-in sessions",
  disable: "Disable the account",
  rotate_password: "Rotate the password",
  delete: "Delete the account",
};
