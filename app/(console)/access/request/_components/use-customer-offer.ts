"use client";

import { useEffect, useState } from "react";
import { api, type OutputOf } from "@/components/api/client";

export type CustomerOffer = OutputOf<"getMyAccess">;

type OfferState = { customerId: string; offer: CustomerOffer | null; error: string | null };

/** What the technician may request on the chosen customer. */
export function useCustomerOffer(customerId: string): { offer: CustomerOffer | null; loading: boolean; error: string | null } {
  const [state, setState] = useState<OfferState>({ customerId: "", offer: null, error: null });
  useEffect(() => {
    if (!customerId) return;
    let current = true;
    api("getMyAccess", { params: { customerId } }).then(
      (offer) => current && setState({ customerId, offer, error: null }),
      (err: unknown) => current && setState({ customerId, offer: null, error: err instanceof Error ? err.message : "Could not load this customer." }),
    );
    return () => {
      current = false;
    };
  }, [customerId]);
  const settled = state.customerId === customerId;
  return { offer: settled ? state.offer : null, loading: Boolean(customerId) && !settled, error: settled ? state.error : null };
}

/** The longest duration allowed for the chosen levels: the stricter of the customer's maximum and each level's delegation. */
export function maxDurationOf(offer: CustomerOffer, chosenIds: string[]): number {
  const chosen = offer.accessLevels.filter((l) => chosenIds.includes(l.accessLevelId));
  const levelLimit = chosen.length ? Math.min(...chosen.map((l) => l.maxDurationMinutes)) : Math.max(0, ...offer.accessLevels.map((l) => l.maxDurationMinutes));
  return Math.min(offer.customer.maxDurationMinutes, levelLimit || offer.customer.maxDurationMinutes);
}
