import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";

export const auditOperations = {
  listAuditEvents: op({ id: "listAuditEvents", method: "GET", path: "/api/v1/audit-events", tag: "Audit", summary: "Audit events, newest first", auth: "session+token", scope: "audit:read", permission: "audit:read", query: s.auditQuery, output: s.auditPage, status: 200 }),
};
