"use client";

import { createContext, useCallback, useContext, type ReactNode } from "react";
import { formatMoment, type MomentStyle } from "@/lib/time/format-moment";

const ViewerTimeZone = createContext("UTC");

/** Names the zone the viewer sees times in (lib/http/viewer-time-zone.ts); outside it, times show in UTC. */
export function ViewerTimeZoneProvider({ zone, children }: { zone: string; children: ReactNode }) {
  return <ViewerTimeZone.Provider value={zone}>{children}</ViewerTimeZone.Provider>;
}

export function useViewerTimeZone(): string {
  return useContext(ViewerTimeZone);
}

/** For text that is not a <Time> of its own (a confirmation message, a tooltip): the moment in the viewer's zone. */
export function useFormatMoment(): (at: Date | string, style?: MomentStyle) => string {
  const zone = useViewerTimeZone();
  return useCallback((at, style) => formatMoment(at, zone, style), [zone]);
}
