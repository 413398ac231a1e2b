import { randomUUID } from "node:crypto";
import { jsonReply, type Reply } from "../http/reply";

/** `2023-08-28 11:25:19Z`, the timestamp format of AADSTS error descriptions. */
function stsTimestamp(date = new Date()): string {
  return date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

export interface StsError {
  status: number;
  error: string;
  code: number;
  message: string;
}

/** The text every AADSTS error description carries: code, message, trace and correlation ids, timestamp. */
export function stsDescription(code: number, message: string, traceId: string, correlationId: string, at = new Date()): string {
  return `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${stsTimestamp(at)}`;
}

export function stsErrorUri(code: number): string {
  return `https://login.microsoftonline.com/error?code=${code}`;
}

/** The token endpoint's JSON error body. */
export function stsErrorReply(failure: StsError, correlationId: string): Reply {
  const traceId = randomUUID();
  const at = new Date();
  return jsonReply(
    failure.status,
    {
      error: failure.error,
      error_description: stsDescription(failure.code, failure.message, traceId, correlationId, at),
      error_codes: [failure.code],
      timestamp: stsTimestamp(at),
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: stsErrorUri(failure.code),
    },
    { "x-ms-request-id": traceId, "cache-control": "no-store, no-cache" },
  );
}

export function tenantNotFound(tenant: string): StsError {
  return {
    status: 400,
    error: "invalid_request",
    code: 90002,
    message: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  };
}

export function missingParameter(name: string): StsError {
  return { status: 400, error: "invalid_request", code: 900144, message: `The request body must contain the following parameter: '${name}'.` };
}
