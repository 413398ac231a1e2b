import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { openApiDocument } from "@/lib/api/v1/openapi";
import { requirePageContext } from "@/lib/http/page-context";

export const metadata: Metadata = { title: "API reference" };

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; anyOf?: Schema[]; oneOf?: Schema[]; description?: string; format?: string; maxLength?: number; minimum?: number; maximum?: number; default?: unknown; const?: unknown };
type Param = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Op = { operationId: string; summary?: string; description?: string; tags?: string[]; parameters?: Param[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>; "x-stint-scope"?: string | null; "x-stint-permission"?: string | null };

function refName(ref: string): string {
  return ref.split("/").at(-1)!;
}

/** A compact, readable type: Grant, string (date-time), "a" | "b", Grant[], { a: string, b?: number }. */
function TypeOf({ schema, depth = 0 }: { schema: Schema | undefined; depth?: number }) {
  if (!schema) return <span>any</span>;
  if (schema.$ref) return <a className="text-primary underline" href={`#schema-${refName(schema.$ref)}`}>{refName(schema.$ref)}</a>;
  if (schema.enum) return <span>{schema.enum.map((v) => JSON.stringify(v)).join(" | ")}</span>;
  if (schema.const !== undefined) return <span>{JSON.stringify(schema.const)}</span>;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return <span>{union.map((s, i) => <span key={i}>{i > 0 ? " | " : ""}<TypeOf schema={s} depth={depth} /></span>)}</span>;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (type === "array") return <span><TypeOf schema={schema.items} depth={depth} />[]</span>;
  if (type === "object" && schema.properties && depth < 3) {
    return (
      <span>
        {"{ "}
        {Object.entries(schema.properties).map(([k, v], i) => (
          <span key={k}>{i > 0 ? ", " : ""}{k}{schema.required?.includes(k) ? "" : "?"}: <TypeOf schema={v} depth={depth + 1} /></span>
        ))}
        {" }"}
      </span>
    );
  }
  return <span>{type ?? "any"}{schema.format ? ` (${schema.format})` : ""}</span>;
}

function Fields({ schema }: { schema: Schema }) {
  if (!schema.properties) return <code className="text-xs"><TypeOf schema={schema} /></code>;
  return (
    <Table>
      <THead><TR><TH>Field</TH><TH>Type</TH><TH>Notes</TH></TR></THead>
      <TBody>
        {Object.entries(schema.properties).map(([name, s]) => (
          <TR key={name}>
            <TD className="font-mono text-xs">{name}{schema.required?.includes(name) ? "" : "?"}</TD>
            <TD className="font-mono text-xs"><TypeOf schema={s} /></TD>
            <TD className="text-xs text-muted-foreground">{[s.description, s.maxLength !== undefined ? `max ${s.maxLength} chars` : null, s.default !== undefined ? `default ${JSON.stringify(s.default)}` : null].filter(Boolean).join(" · ")}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

const methodVariant = { get: "success", post: "default", delete: "destructive" } as const;

export default async function ApiDocsPage() {
  await requirePageContext();
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Op>>; tags?: { name: string }[]; components?: { schemas?: Record<string, Schema> } };
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const tags = (doc.tags ?? []).map((t) => t.name);
  return (
    <>
      <PageHeader
        title="API reference"
        description="REST API v1 under /api/v1. Create a token on your account page and send it as Authorization: Bearer …. The machine-readable document is at /api/v1/openapi.json."
      />
      <div className="flex flex-col gap-8">
        {tags.map((tag) => (
          <section key={tag} className="flex flex-col gap-4">
            <h2 className="text-lg font-semibold">{tag}</h2>
            {ops.filter((o) => o.op.tags?.includes(tag)).map(({ path, method, op }) => {
              const body = op.requestBody?.content["application/json"]?.schema;
              return (
                <Card key={op.operationId} id={op.operationId} data-testid={`api-op-${op.operationId}`}>
                  <CardHeader>
                    <CardTitle className="flex flex-wrap items-center gap-2">
                      <Badge variant={methodVariant[method as keyof typeof methodVariant] ?? "muted"}>{method.toUpperCase()}</Badge>
                      <code className="min-w-0 text-sm [overflow-wrap:anywhere]">/api/v1{path}</code>
                      {op["x-stint-scope"] ? <Badge variant="muted">scope {op["x-stint-scope"]}</Badge> : null}
                      {op["x-stint-permission"] ? <Badge variant="warning">role {op["x-stint-permission"]}</Badge> : null}
                    </CardTitle>
                    <CardDescription>{op.summary}{op.description ? ` — ${op.description}` : ""}</CardDescription>
                  </CardHeader>
                  <CardContent className="flex flex-col gap-3 text-sm">
                    {op.parameters?.length ? (
                      <div>
                        <h3 className="mb-1 font-medium">Parameters</h3>
                        <Table>
                          <THead><TR><TH>Name</TH><TH>In</TH><TH>Type</TH><TH>Notes</TH></TR></THead>
                          <TBody>
                            {op.parameters.map((p) => (
                              <TR key={`${p.in}-${p.name}`}>
                                <TD className="font-mono text-xs">{p.name}{p.required ? "" : "?"}</TD>
                                <TD className="text-xs">{p.in}</TD>
                                <TD className="font-mono text-xs"><TypeOf schema={p.schema} /></TD>
                                <TD className="text-xs text-muted-foreground">{p.description}</TD>
                              </TR>
                            ))}
                          </TBody>
                        </Table>
                      </div>
                    ) : null}
                    {body ? (<div><h3 className="mb-1 font-medium">Request body</h3><Fields schema={body} /></div>) : null}
                    <div>
                      <h3 className="mb-1 font-medium">Responses</h3>
                      <ul className="flex flex-col gap-1">
                        {Object.entries(op.responses).map(([status, r]) => (
                          <li key={status} className="text-xs">
                            <span className="font-mono font-semibold">{status}</span> {r.description}
                            {r.content?.["application/json"] ? <> — <code><TypeOf schema={r.content["application/json"].schema} /></code></> : null}
                          </li>
                        ))}
                      </ul>
                    </div>
                  </CardContent>
                </Card>
              );
            })}
          </section>
        ))}
        <section className="flex flex-col gap-4">
          <h2 className="text-lg font-semibold">Schemas</h2>
          {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
            <Card key={name} id={`schema-${name}`}>
              <CardHeader><CardTitle className="font-mono text-sm">{name}</CardTitle>{schema.description ? <CardDescription>{schema.description}</CardDescription> : null}</CardHeader>
              <CardContent><Fields schema={schema} /></CardContent>
            </Card>
          ))}
        </section>
      </div>
    </>
  );
}
