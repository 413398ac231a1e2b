import type { Graph } from "./graph";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";

/** The tenant's Temporary Access Pass policy, in the shape Stint stores and reasons about. */
export async function readTapPolicy(graph: Graph): Promise<TapPolicy> {
  const policy = await graph.getTapPolicy();
  return {
    state: policy.state === "enabled" ? "enabled" : "disabled",
    includeTargets: (policy.includeTargets ?? []).map((t) => t.id),
    excludeTargets: (policy.excludeTargets ?? []).map((t) => t.id),
    minimumLifetimeInMinutes: policy.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: policy.maximumLifetimeInMinutes,
    defaultLifetimeInMinutes: policy.defaultLifetimeInMinutes,
    isUsableOnce: policy.isUsableOnce,
  };
}
