/**
 * How a grant's JIT account signs in. With a Temporary Access Pass the account passes the MFA Microsoft
 * enforces on its admin portals; "password only" is for tenants and clouds that cannot issue passes.
 */
export const signInMethods = ["tap", "password"] as const;
export type SignInMethod = (typeof signInMethods)[number];

export const signInMethodLabels: Record<SignInMethod, string> = {
  tap: "Temporary Access Pass",
  password: "Password only",
};
