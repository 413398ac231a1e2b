import type { Metadata } from "next";
import { AcceptInvite } from "./accept-invite";

export const metadata: Metadata = { title: "Join", referrer: "no-referrer" };
// Rendered per request, so its scripts carry the request's CSP nonce (proxy.ts).
export const dynamic = "force-dynamic";

/** /invite#<secret>: everything happens in the browser, so the secret never reaches this server's logs. */
export default function InvitePage() {
  return <AcceptInvite />;
}
