import { directoryTimestamp } from "../state";

interface GraphErrorExtra {
  details?: Record<string, string>[];
  headers?: Record<string, string>;
  innerError?: Record<string, string>;
}

/** An OData error in Graph's envelope; thrown by handlers, rendered by the dispatcher. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: GraphErrorExtra = {},
  ) {
    super(message);
  }
}

export function notFound(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function insufficientPrivileges(): GraphError {
  return new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

export function badRequest(message: string, details?: Record<string, string>[]): GraphError {
  return new GraphError(400, "Request_BadRequest", message, details ? { details } : {});
}

export function invalidPropertyValue(property: string, resource = "User"): GraphError {
  return badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

export function errorEnvelope(error: GraphError, ids: RequestIds): Record<string, unknown> {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.extra.details ? { details: error.extra.details } : {}),
      innerError: {
        // The directory's innerError date has no fraction and no zone designator.
        date: directoryTimestamp().replace(/Z$/, ""),
        "request-id": ids.requestId,
        "client-request-id": ids.clientRequestId,
        ...error.extra.innerError,
      },
    },
  };
}
