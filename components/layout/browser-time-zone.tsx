"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { TIME_ZONE_COOKIE, TIME_ZONE_COOKIE_MAX_AGE_SECONDS } from "@/lib/time/time-zone-cookie";

function savedZone(): string | null {
  const entry = document.cookie.split("; ").find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`));
  return entry ? decodeURIComponent(entry.slice(TIME_ZONE_COOKIE.length + 1)) : null;
}

/**
 * Tells the server the browser's time zone (a cookie), so members who have not chosen one see times in it.
 * The server rendered this page in the zone the cookie named, or in UTC without one: only when that differs
 * does the page render again.
 */
export function BrowserTimeZone() {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const saved = savedZone();
    if (saved === zone) return;
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=${TIME_ZONE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
    if ((saved ?? "UTC") !== zone) router.refresh();
  }, [router]);
  return null;
}
