import "server-only";
import { cookies } from "next/headers";
import { knownTimeZone } from "@/lib/time-zones";
import { TIME_ZONE_COOKIE } from "@/lib/time/time-zone-cookie";

/**
 * The zone to show the viewer times in: the member's choice, else the browser's (from its cookie, only if
 * it names a known zone: the cookie is whatever the client sent), else UTC.
 */
export async function viewerTimeZone(memberTimeZone: string | null): Promise<string> {
  if (memberTimeZone) return memberTimeZone;
  return (await browserTimeZone()) ?? "UTC";
}

/** The known zone the browser's cookie names, or null. */
export async function browserTimeZone(): Promise<string | null> {
  const reported = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return reported ? knownTimeZone(reported) : null;
}
