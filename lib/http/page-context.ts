import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { can, type Permission } from "@/lib/auth/permissions";
import { currentSession } from "./current-session";
import { contextFor } from "./session-context";
import { requestInfoFrom } from "./request-info";
import { RETURN_TO_HEADER, signInPath } from "./return-to";

/**
 * The one entry for console pages: signed in (else to /sign-in, and back to this page afterwards),
 * holding the permission (else 404, so a page's existence is not confirmed to a role that cannot use
 * it). Returns the service context.
 */
export async function requirePageContext(permission?: Permission) {
  const session = await currentSession();
  const requestHeaders = await headers();
  if (!session) redirect(signInPath(requestHeaders.get(RETURN_TO_HEADER) ?? undefined));
  if (permission && !can(session.member.role, permission)) notFound();
  const ctx = contextFor(session, requestInfoFrom(requestHeaders));
  return { session, ctx };
}
