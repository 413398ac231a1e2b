import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { canManageRole } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";
import { listAllTokens } from "@/lib/services/tokens/list";
import { ApiActionButton } from "@/components/console/api-action-button";
import { Time } from "@/components/time/time";

export const metadata: Metadata = { title: "Access tokens" };

const revokedBy = { owner: "by its owner", admin: "by an admin", leaked: "reported as leaked", owner_disabled: "when its owner was disabled" } as const;

export default async function TokensPage() {
  const { ctx, session } = await requirePageContext("tokens:manage_all");
  const tokens = await listAllTokens(ctx);
  return (
    <>
      <PageHeader
        title="Access tokens"
        description="Every member's API tokens in your MSP. Revoking one stops it at once; members create their own on their account page."
      />
      <Card>
        <Table data-testid="all-tokens-table">
          <THead>
            <TR>
              <TH>Owner</TH>
              <TH>Token</TH>
              <TH>Scopes</TH>
              <TH>Customers</TH>
              <TH>Expires</TH>
              <TH>Last used</TH>
              <TH className="text-right">Status</TH>
            </TR>
          </THead>
          <TBody>
            {tokens.length === 0 ? (
              <TR>
                <TD colSpan={7} className="text-center text-muted-foreground">No access tokens yet.</TD>
              </TR>
            ) : null}
            {tokens.map((t) => (
              <TR key={t.id} data-testid={`token-${t.id}`}>
                <TD>
                  <div className="font-medium">{t.ownerName}</div>
                  <div className="text-xs text-muted-foreground">{t.ownerEmail}</div>
                </TD>
                <TD className="min-w-36">
                  <div className="font-medium">{t.name}</div>
                  <code className="whitespace-nowrap text-xs text-muted-foreground">{t.hint}</code>
                  {t.type === "extension" ? <Badge variant="muted" className="ml-2">Extension</Badge> : null}
                </TD>
                <TD>
                  <div className="flex max-w-64 flex-wrap gap-1">
                    {t.scopes.map((s) => (
                      <Badge key={s} variant="muted">{s}</Badge>
                    ))}
                  </div>
                </TD>
                <TD className="max-w-48 text-xs">
                  {t.customers ? t.customers.map((c) => c.name).join(", ") : <span className="text-muted-foreground">All the owner can see</span>}
                  {t.allowedCidrs ? <div className="text-muted-foreground">from {t.allowedCidrs.join(", ")}</div> : null}
                </TD>
                <TD className="whitespace-nowrap text-muted-foreground"><Time at={t.expiresAt} style="minute" /></TD>
                <TD className="text-xs text-muted-foreground">
                  {t.lastUsedAt ? (
                    <>
                      <Time at={t.lastUsedAt} style="minute" />
                      <div>{t.lastUsedIp ?? ""}</div>
                    </>
                  ) : (
                    "Never"
                  )}
                </TD>
                <TD className="text-right">
                  {t.status === "active" && !canManageRole(session.member.role, t.ownerRole) ? (
                    <Badge variant="success" title="Only an owner can revoke an owner's token.">Active</Badge>
                  ) : t.status === "active" ? (
                    <ApiActionButton operation="revokeToken" input={{ params: { tokenId: t.id } }} label="Revoke" confirm={`Revoke “${t.name}” of ${t.ownerEmail}? Whatever uses it stops working at once.`} />
                  ) : t.status === "expired" ? (
                    <Badge variant="muted">Expired</Badge>
                  ) : (
                    <Badge variant="destructive" title={t.revokeReason ? `Revoked ${revokedBy[t.revokeReason]}` : undefined}>
                      Revoked
                    </Badge>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
