import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, roleLabels } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { session } = await requirePageContext();
  const role = session.member.role;
  return (
    <>
      <PageHeader title={`Welcome, ${session.member.displayName}`} description={`${session.mspName} · ${roleLabels[role]}`} />
      <div className="grid gap-4 md:grid-cols-2">
        {can(role, "members:read") ? (
          <Card>
            <CardHeader>
              <CardTitle>Members</CardTitle>
              <CardDescription>Invite technicians and auditors, manage roles, disable or recover access.</CardDescription>
            </CardHeader>
            <CardContent>
              <Link className="text-sm font-medium text-primary hover:underline" href="/members">Open members →</Link>
            </CardContent>
          </Card>
        ) : null}
        {can(role, "audit:read") ? (
          <Card>
            <CardHeader>
              <CardTitle>Audit log</CardTitle>
              <CardDescription>Every sign-in, invite, passkey and role change, hash-chained and verifiable.</CardDescription>
            </CardHeader>
            <CardContent>
              <Link className="text-sm font-medium text-primary hover:underline" href="/audit">Open audit log →</Link>
            </CardContent>
          </Card>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>Your passkeys and sessions</CardTitle>
            <CardDescription>Add a second passkey so you never lock yourself out; end sessions you do not recognise.</CardDescription>
          </CardHeader>
          <CardContent>
            <Link className="text-sm font-medium text-primary hover:underline" href="/account">Open your account →</Link>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
