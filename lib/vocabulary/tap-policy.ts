/**
 * A tenant's Temporary Access Pass policy as Stint keeps it (read from Graph's
 * authenticationMethodConfigurations/TemporaryAccessPass at connect, at every health check and before
 * each pass is issued). What Stint makes of it is lib/entra/tap-policy.ts.
 */
export type TapPolicy = {
  state: "enabled" | "disabled";
  /** Group ids the policy covers; "all_users" covers everyone. */
  includeTargets: string[];
  excludeTargets: string[];
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLifetimeInMinutes: number;
  /** True forces every pass in the tenant to be one-time. */
  isUsableOnce: boolean;
};
