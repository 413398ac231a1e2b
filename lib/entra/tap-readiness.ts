import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import { coversNewAccounts } from "./tap-policy";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";

export type TapProblemCode = "cloud_unsupported" | "reconsent_needed" | "policy_unknown" | "disabled" | "limited_to_groups";

export type TapReadiness = {
  /** The method new grants of this customer get now. */
  method: SignInMethod;
  /** Why Temporary Access Passes cannot be issued here (empty when they can), each with what to change. */
  problems: { code: TapProblemCode; message: string; fix: string }[];
  /** Facts about passes worth knowing when they can be issued. */
  notes: string[];
};

const ENABLE_PATH = "Entra admin center → Protection → Authentication methods → Policies → Temporary Access Pass";

type Inputs = { chosen: SignInMethod; cloudSupportsTap: boolean; tapPermissionsGranted: boolean; policy: TapPolicy | null; maxGrantMinutes: number };

function problemsOf(args: Inputs): TapReadiness["problems"] {
  if (!args.cloudSupportsTap) {
    return [{ code: "cloud_unsupported", message: "This Microsoft cloud does not offer the Temporary Access Pass API.", fix: "Use the password-only sign-in method for this customer." }];
  }
  if (!args.tapPermissionsGranted) {
    return [{
      code: "reconsent_needed",
      message: "Stint's consent in this tenant predates the Temporary Access Pass permissions; grants use a password until it is renewed.",
      fix: "Reconnect the customer so a Global Administrator grants the new permissions (UserAuthMethod-TAP.ReadWrite.All, Policy.Read.AuthenticationMethod).",
    }];
  }
  const policy = args.policy;
  if (!policy) return [{ code: "policy_unknown", message: "Stint has not read the tenant's Temporary Access Pass policy yet.", fix: "Wait for the next health check, or reconnect." }];
  if (policy.state !== "enabled") {
    return [{ code: "disabled", message: "The Temporary Access Pass method is disabled in this tenant, so JIT accounts cannot pass Microsoft's MFA.", fix: `A tenant admin enables it for All users: ${ENABLE_PATH}.` }];
  }
  if (!coversNewAccounts(policy)) {
    return [{
      code: "limited_to_groups",
      message: "The tenant's Temporary Access Pass policy covers only some groups; Stint's new accounts are in none of them.",
      fix: `A tenant admin targets All users (excluded groups may stay): ${ENABLE_PATH}.`,
    }];
  }
  return [];
}

function notesOf(policy: TapPolicy, maxGrantMinutes: number): string[] {
  const notes: string[] = [];
  if (policy.maximumLifetimeInMinutes < maxGrantMinutes) {
    notes.push(
      `Passes live at most ${policy.maximumLifetimeInMinutes} minutes here, less than the longest grant (${maxGrantMinutes} minutes): a longer grant gets a new pass before the old one lapses, and the technician signs in again then.`,
    );
  }
  if (policy.isUsableOnce) notes.push("The tenant allows only one-time passes: each pass signs in once (that browser session then reaches Microsoft's other portals).");
  return notes;
}

/**
 * Whether this customer's grants sign in with a Temporary Access Pass, and if passes cannot be issued,
 * why and what the tenant's admin (or the MSP) must change. The password is used where passes cannot exist
 * or Stint may not issue them, and where the admin chose it; a tenant whose policy refuses passes keeps
 * the pass method, so its grants fail with the fix in words rather than silently losing MFA.
 */
export function tapReadiness(args: Inputs): TapReadiness {
  const problems = problemsOf(args);
  const fallback = problems.some((p) => p.code === "cloud_unsupported" || p.code === "reconsent_needed");
  const method = args.chosen === "password" || fallback ? "password" : "tap";
  const notes = method === "tap" && problems.length === 0 && args.policy ? notesOf(args.policy, args.maxGrantMinutes) : [];
  return { method, problems, notes };
}
