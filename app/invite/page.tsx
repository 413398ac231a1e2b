import type { Metadata } from "next";
import { AcceptInvite } from "./accept-invite";

export const metadata: Metadata = { title: "Join", referrer: "no-referrer" };

/** /invite#<secret>: everything happens in the browser, so the secret never reaches this server's logs. */
export default function InvitePage() {
  return <AcceptInvite />;
}
