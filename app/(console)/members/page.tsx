import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can, canManageRole, roleLabels } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";
import { listPendingInvites } from "@/lib/services/invites/list";
import { listMembers, memberFilterInput } from "@/lib/services/members/list";
import { SearchForm } from "@/components/console/search-form";
import { InviteForm } from "./_components/invite-form";
import { MemberActions } from "./_components/member-actions";
import { ApiActionButton } from "@/components/console/api-action-button";
import { Time } from "@/components/time/time";

export const metadata: Metadata = { title: "Members" };


export default async function MembersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, session } = await requirePageContext("members:read");
  const role = session.member.role;
  const { q: rawQ } = await searchParams;
  const filter = memberFilterInput.safeParse({ q: typeof rawQ === "string" && rawQ.trim() ? rawQ : undefined });
  const q = filter.success ? filter.data.q : undefined;
  const [members, invites] = await Promise.all([listMembers(ctx, filter.success ? filter.data : {}), listPendingInvites(ctx)]);
  const mayManage = can(role, "members:manage");
  return (
    <>
      <PageHeader title="Members" description="People of your MSP who sign in to Stint, and what they may do." />
      <div className="grid grid-cols-1 gap-6">
        {can(role, "members:invite") ? (
          <Card>
            <CardHeader>
              <CardTitle>Invite a member</CardTitle>
              <CardDescription>You get a one-time link to hand over. It works once, for 72 hours.</CardDescription>
            </CardHeader>
            <CardContent>
              <InviteForm assignableRoles={(["technician", "auditor", "admin", "owner"] as const).filter((r) => canManageRole(role, r))} />
            </CardContent>
          </Card>
        ) : null}
        <div className="grid gap-3">
          <SearchForm action="/members" q={q} label="Search members" placeholder="Name or e-mail" testId="members-search" />
          <Card>
            <Table data-testid="members-table">
              <THead>
                <TR>
                  <TH>Name</TH>
                  <TH>Role</TH>
                  <TH>Status</TH>
                  <TH>Passkeys</TH>
                  <TH>Joined</TH>
                  {mayManage ? <TH className="text-right">Actions</TH> : null}
                </TR>
              </THead>
              <TBody>
                {members.length === 0 ? (
                  <TR>
                    <TD colSpan={mayManage ? 6 : 5} className="py-8 text-center text-muted-foreground">
                      No member matches “{q}”.
                    </TD>
                  </TR>
                ) : null}
                {members.map((m) => (
                  <TR key={m.id} data-testid={`member-${m.email}`}>
                    <TD>
                      <div className="font-medium">{m.displayName}</div>
                      <div className="text-xs text-muted-foreground">{m.email}</div>
                    </TD>
                    <TD>{roleLabels[m.role]}</TD>
                    <TD>
                      <Badge variant={m.status === "active" ? "success" : "destructive"}>{m.status === "active" ? "Active" : "Disabled"}</Badge>
                    </TD>
                    <TD>{m.passkeyCount}</TD>
                    <TD className="whitespace-nowrap text-muted-foreground"><Time at={m.createdAt} style="minute" /></TD>
                    {mayManage ? (
                      <TD className="text-right">
                        {m.id !== session.member.id && canManageRole(role, m.role) ? (
                          <MemberActions
                            member={{ id: m.id, email: m.email, role: m.role, status: m.status }}
                            assignableRoles={(["technician", "auditor", "admin", "owner"] as const).filter((r) => canManageRole(role, r))}
                          />
                        ) : (
                          <span className="text-xs text-muted-foreground">{m.id === session.member.id ? "You" : "—"}</span>
                        )}
                      </TD>
                    ) : null}
                  </TR>
                ))}
              </TBody>
            </Table>
          </Card>
        </div>
        {invites.length > 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>Pending invites</CardTitle>
            </CardHeader>
            <Table data-testid="invites-table">
              <THead>
                <TR>
                  <TH>Invitee</TH>
                  <TH>Role</TH>
                  <TH>Kind</TH>
                  <TH>Expires</TH>
                  <TH className="text-right">Actions</TH>
                </TR>
              </THead>
              <TBody>
                {invites.map((i) => (
                  <TR key={i.id}>
                    <TD>
                      <div className="font-medium">{i.displayName}</div>
                      <div className="text-xs text-muted-foreground">{i.email}</div>
                    </TD>
                    <TD>{roleLabels[i.role]}</TD>
                    <TD>{i.memberId ? <Badge variant="warning">Recovery</Badge> : <Badge variant="muted">New member</Badge>}</TD>
                    <TD className="text-muted-foreground"><Time at={i.expiresAt} style="minute" /></TD>
                    <TD className="text-right">{can(role, "members:invite") ? <ApiActionButton operation="revokeInvite" input={{ params: { inviteId: i.id } }} label="Revoke" destructive={false} /> : null}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </Card>
        ) : null}
      </div>
    </>
  );
}
