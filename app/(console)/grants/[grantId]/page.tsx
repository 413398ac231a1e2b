import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiActionButton } from "@/components/console/api-action-button";
import { PageHeader } from "@/components/layout/page-header";
import { DownloadLink } from "@/components/console/download-link";
import { operationUrl } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { AppError } from "@/lib/errors";
import { requirePageContext } from "@/lib/http/page-context";
import { listAccessLevels } from "@/lib/services/access-levels/list";
import type { ServiceContext } from "@/lib/services/context";
import { getCustomer } from "@/lib/services/customers/get";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";
import { getGrant } from "@/lib/services/grants/get";
import { SandboxBadge } from "../../customers/_components/sandbox-badge";
import { roleNamer } from "@/lib/entra/role-names";
import { GrantStateBadge } from "../_components/grant-state-badge";
import { GrantFacts } from "./_components/grant-facts";
import { StepsTable } from "./_components/steps-table";

export const metadata: Metadata = { title: "Grant timeline" };

/** A customer or access level the viewer can no longer see leaves its ids, not an error. */
async function unlessNotFound<T, F>(load: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return fallback;
    throw err;
  }
}

async function accessLevelNamesOn(ctx: ServiceContext, role: MemberRole, customerId: string): Promise<Map<string, string>> {
  const levels = can(role, "customers:read_all")
    ? (await listAccessLevels(ctx)).map((l) => [l.id, l.name] as const)
    : (await unlessNotFound(getMyAccessOnCustomer(ctx, customerId), { accessLevels: [] })).accessLevels.map((l) => [l.accessLevelId, l.name] as const);
  return new Map(levels);
}

export default async function GrantTimelinePage({ params }: { params: Promise<{ grantId: string }> }) {
  const { ctx, session } = await requirePageContext();
  const { grantId } = await params;
  const { grant, customer, member, steps, acts } = await unlessNotFound(getGrant(ctx, grantId), null) ?? notFound();
  const role = session.member.role;
  const [levelNames, { connection }] = await Promise.all([
    accessLevelNamesOn(ctx, role, grant.customerId),
    unlessNotFound(getCustomer(ctx, grant.customerId), { connection: null }),
  ]);
  const roleName = roleNamer(connection?.roleDefinitions ?? []);
  const own = grant.memberId === session.member.id;
  const back = own || !can(role, "grants:read_all") ? { href: "/access", label: "My access" } : { href: "/grants", label: "Grants" };
  return (
    <>
      <Link href={back.href} className="inline-flex items-center text-sm text-muted-foreground hover:text-foreground max-md:min-h-11">
        ← {back.label}
      </Link>
      <PageHeader title={`${member.name} on ${customer.name}`} description={grant.upn} />
      {customer.isSandbox ? (
        <div className="-mt-4 mb-6">
          <SandboxBadge />
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <CardTitle className="flex flex-wrap items-center gap-2">
              Grant <GrantStateBadge state={grant.state} startAt={grant.startAt} />
              {grant.state === "irrevocable" && can(role, "grants:revoke") ? (
                <span className="ml-auto">
                  <ApiActionButton operation="retryRevocation" input={{ params: { grantId: grant.id } }} label="Retry now" destructive={false} outlined />
                </span>
              ) : null}
            </CardTitle>
          </CardHeader>
          <CardContent>
            <GrantFacts
              facts={{
                ...grant,
                technician: member,
                accessLevelNames: grant.accessLevelIds.map((id) => levelNames.get(id) ?? id),
                roleNames: grant.roleTemplateIds.map(roleName),
              }}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="grid gap-1">
                <CardTitle>Timeline</CardTitle>
                <CardDescription>Each step Stint took in the customer&apos;s tenant, verified by reading Microsoft Graph back, and what people did to the grant.</CardDescription>
              </div>
              {can(role, "audit:read") && can(role, "grants:read_all") ? (
                <DownloadLink
                  href={operationUrl(operations.getGrantEvidence, { grantId: grant.id })}
                  fileName={`stint-evidence-${grant.id}.json`}
                  label="Download evidence (JSON)"
                  testId="grant-evidence"
                  size="sm"
                />
              ) : null}
            </div>
          </CardHeader>
          <StepsTable steps={steps} acts={acts} />
        </Card>
      </div>
    </>
  );
}
