"use client";

import { useEffect, useState } from "react";
import { api, type OutputOf } from "@/components/api/client";

export type PolicyDemands = NonNullable<OutputOf<"evaluatePolicy">["demands"]>;

/** What the access policies will ask of this request, from the same evaluation the request gets (a dry run). */
export function usePolicyDemands(customerId: string, accessLevelIds: string[]): PolicyDemands | null {
  const [state, setState] = useState<{ key: string; demands: PolicyDemands | null }>({ key: "", demands: null });
  const key = `${customerId}|${accessLevelIds.join(",")}`;
  useEffect(() => {
    if (!customerId) return;
    let current = true;
    const resource = { customerId, ...(accessLevelIds.length ? { accessLevelIds } : {}) };
    api("evaluatePolicy", { body: { action: "grants:write", resource } }).then(
      (answer) => current && setState({ key, demands: answer.demands }),
      () => current && setState({ key, demands: null }),
    );
    return () => {
      current = false;
    };
    // The key stands for the ids: a new array of the same levels asks nothing new.
  }, [key]);
  return state.key === key ? state.demands : null;
}
