import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";

export const auditOperations = {
  listAuditEvents: op({ id: "listAuditEvents", method: "GET", path: "/api/v1/audit-events", tag: "Audit", summary: "Audit events, newest first", auth: "session+token", scope: "audit:read", permission: "audit:read", query: s.auditQuery, output: s.auditPage, status: 200 }),
  exportAuditEvents: op({
    id: "exportAuditEvents",
    method: "GET",
    path: "/api/audit/export",
    tag: "Audit",
    summary: "The filtered audit log as a CSV file (at most 10,000 events), itself audited",
    auth: "session",
    permission: "audit:read",
    query: s.auditQuery.omit({ cursor: true, limit: true }),
    output: null,
    status: 200,
    raw: true,
    file: "text/csv",
  }),
};
