"use client";

import { Check, Copy, KeyRound, Puzzle } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field, Label } from "@/components/ui/label";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { tokenScopeInfo, tokenScopes, type TokenScope } from "@/lib/vocabulary/token-scopes";
import { ApiActionButton } from "@/components/console/api-action-button";
import { Time } from "@/components/time/time";

export type TokenView = {
  id: string;
  name: string;
  type: "personal" | "extension";
  hint: string;
  scopes: string[];
  customers: { id: string; name: string }[] | null;
  allowedCidrs: string[] | null;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  status: "active" | "expired" | "revoked";
};

const statusBadge = {
  active: <Badge variant="success">Active</Badge>,
  expired: <Badge variant="muted">Expired</Badge>,
  revoked: <Badge variant="destructive">Revoked</Badge>,
};

/** The token, once: Stint keeps only a digest and cannot show it again. */
function NewTokenNotice({ token, onDone }: { token: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="grid gap-2 rounded-md border border-amber-200 bg-amber-50/60 p-3 dark:border-amber-900 dark:bg-amber-950/40" data-testid="new-token">
      <Label htmlFor="new-token-value">Your new token</Label>
      <div className="flex gap-2">
        <Input id="new-token-value" readOnly value={token} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
        <Button
          variant="outline"
          size="sm"
          aria-label="Copy the token"
          onClick={async () => {
            await navigator.clipboard.writeText(token);
            setCopied(true);
          }}
        >
          {copied ? <Check className="h-3.5 w-3.5 text-green-600 dark:text-green-400" /> : <Copy className="h-3.5 w-3.5" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <div className="flex items-center justify-between gap-2">
        <p className="text-xs text-muted-foreground">Copy it now: it is shown only this once. Send it in the Authorization header, never in a URL.</p>
        <Button variant="ghost" size="sm" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

function CreateTokenForm({
  maxDays,
  customers,
  onCreated,
  onCancel,
}: {
  maxDays: number;
  customers: { id: string; name: string }[];
  onCreated: (token: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["grants:read"]);
  const [days, setDays] = useState(String(Math.min(30, maxDays)));
  const [customerIds, setCustomerIds] = useState<string[]>([]);
  const [cidrs, setCidrs] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (f: string) => (error?.field?.split(".")[0] === f ? error.message : undefined);
  return (
    <form
      className="grid gap-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const body = {
            name,
            scopes,
            expiresInDays: Number(days),
            customerIds: customerIds.length ? customerIds : null,
            allowedCidrs: cidrs.split(/[\s,]+/).filter(Boolean),
          };
          const created = await withStepUp(() => api("createToken", { body }));
          onCreated(created.token);
        } catch (err) {
          setError({ message: err instanceof Error ? err.message : "Could not create the token.", field: err instanceof ApiError ? err.field : undefined });
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="token-name" label="Name" error={fieldError("name")} hint="What it is for, e.g. “PSA ticket sync”.">
          <Input id="token-name" value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field id="token-days" label="Expires in (days)" error={fieldError("expiresInDays")} hint={`At most ${maxDays} days in your MSP.`}>
          <Input id="token-days" type="number" min={1} max={maxDays} required value={days} onChange={(e) => setDays(e.target.value)} />
        </Field>
      </div>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-sm font-medium">Scopes</legend>
        <p className="text-xs text-muted-foreground">A token never does more than your role allows, whatever its scopes.</p>
        <ul className="grid gap-1 sm:grid-cols-2">
          {tokenScopes.map((s) => (
            <li key={s} className="flex items-start gap-2 text-sm">
              <input
                id={`token-scope-${s}`}
                type="checkbox"
                className="mt-0.5 h-4 w-4 accent-primary"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />
              <label htmlFor={`token-scope-${s}`}>
                <span className="font-medium">{tokenScopeInfo[s].label}</span> <code className="text-xs text-muted-foreground">{s}</code>
                <span className="block text-xs text-muted-foreground">{tokenScopeInfo[s].description}</span>
              </label>
            </li>
          ))}
        </ul>
        {fieldError("scopes") ? <p role="alert" className="text-xs text-destructive">{fieldError("scopes")}</p> : null}
      </fieldset>
      {customers.length > 0 ? (
        <fieldset className="grid gap-1.5">
          <legend className="mb-1 text-sm font-medium">Customers (optional)</legend>
          <p className="text-xs text-muted-foreground">None ticked: every customer you can see. Ticked: only those.</p>
          <ul className="grid max-h-40 gap-1 overflow-y-auto sm:grid-cols-3">
            {customers.map((c) => (
              <li key={c.id} className="flex items-center gap-2 text-sm">
                <input
                  id={`token-customer-${c.id}`}
                  type="checkbox"
                  className="h-4 w-4 accent-primary"
                  checked={customerIds.includes(c.id)}
                  onChange={(e) => setCustomerIds(e.target.checked ? [...customerIds, c.id] : customerIds.filter((x) => x !== c.id))}
                />
                <label htmlFor={`token-customer-${c.id}`}>{c.name}</label>
              </li>
            ))}
          </ul>
          {fieldError("customerIds") ? <p role="alert" className="text-xs text-destructive">{fieldError("customerIds")}</p> : null}
        </fieldset>
      ) : null}
      <Field id="token-cidrs" label="Allowed addresses (optional)" error={fieldError("allowedCidrs")} hint="IPv4 or IPv6 addresses or CIDR blocks, separated by spaces or commas. Empty: from anywhere.">
        <Input id="token-cidrs" value={cidrs} placeholder="203.0.113.0/24, 2001:db8::/32" onChange={(e) => setCidrs(e.target.value)} />
      </Field>
      {error && !error.field ? <Alert variant="error">{error.message}</Alert> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={busy || scopes.length === 0}>
          {busy ? "Waiting for your passkey…" : "Create token"}
        </Button>
        <Button variant="ghost" disabled={busy} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** The member's own access tokens: list, create (with a passkey step-up, shown once), revoke. */
export function TokensCard({ tokens, maxDays, customers }: { tokens: TokenView[]; maxDays: number; customers: { id: string; name: string }[] }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [newToken, setNewToken] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Access tokens</CardTitle>
        <CardDescription>
          For scripts and integrations that call Stint&apos;s API as you. A token never does more than you can, and stops working when it
          expires, when it is revoked, or when your account is disabled.
        </CardDescription>
      </CardHeader>
      {tokens.length > 0 ? (
        <Table data-testid="tokens-table">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Scopes</TH>
              <TH>Customers</TH>
              <TH>Expires</TH>
              <TH>Last used</TH>
              <TH className="text-right">Status</TH>
            </TR>
          </THead>
          <TBody>
            {tokens.map((t) => (
              <TR key={t.id} data-testid={`token-${t.id}`}>
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
                  {t.customers ? t.customers.map((c) => c.name).join(", ") : <span className="text-muted-foreground">All you can see</span>}
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
                <TD className="text-right">{t.status === "active" ? <ApiActionButton operation="revokeToken" input={{ params: { tokenId: t.id } }} label="Revoke" confirm={`Revoke “${t.name}”? Whatever uses it stops working at once.`} /> : statusBadge[t.status]}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <CardContent className="grid gap-4 pt-4">
        {newToken ? <NewTokenNotice token={newToken} onDone={() => setNewToken(null)} /> : null}
        {creating ? (
          <CreateTokenForm
            maxDays={maxDays}
            customers={customers}
            onCreated={(token) => {
              setNewToken(token);
              setCreating(false);
              router.refresh();
            }}
            onCancel={() => setCreating(false)}
          />
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" onClick={() => setCreating(true)}>
              <KeyRound className="h-4 w-4" /> New token
            </Button>
            {/* The extension gets its token by pairing, never by pasting one made here. */}
            <Link href="/extension/connect" className={buttonVariants({ variant: "ghost" })}>
              <Puzzle className="h-4 w-4" /> Connect browser extension
            </Link>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
