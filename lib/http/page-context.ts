import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { can, type Permission } from "@/lib/auth/permissions";
import { contextFor, currentSession } from "./current-session";
import { requestInfoFrom } from "./request-info";

/**
 * The one entry for console pages: signed in (else to /sign-in), holding the permission (else 404,
 * so a page's existence is not confirmed to a role that cannot use it). Returns the service context.
 */
export async function requirePageContext(permission?: Permission) {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  if (permission && !can(session.member.role, permission)) notFound();
  const ctx = contextFor(session, requestInfoFrom(await headers()));
  return { session, ctx };
}
