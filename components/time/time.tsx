"use client";

import { formatMoment, formatMomentUtc, type MomentStyle } from "@/lib/time/format-moment";
import { useViewerTimeZone } from "./viewer-time-zone";

/**
 * A moment in the viewer's time zone, its zone named, with the same moment in UTC on hover. Server
 * components pass a Date or an ISO string alike; nothing shows as "—".
 */
export function Time({ at, style = "full", className }: { at: Date | string | null | undefined; style?: MomentStyle; className?: string }) {
  const zone = useViewerTimeZone();
  if (!at) return <>—</>;
  return (
    // The server's and the browser's date libraries may spell a month or a zone differently; the moment is the same.
    <time dateTime={new Date(at).toISOString()} title={formatMomentUtc(at)} className={className} suppressHydrationWarning>
      {formatMoment(at, zone, style)}
    </time>
  );
}
