import { jsonReply, type Reply } from "../../http/reply";

export interface CwFieldError {
  code: string;
  message: string;
  resource: string;
  field: string;
}

/** ConnectWise's error body: `{ code, message, errors }`, `errors` listing field problems of an invalid object. */
export function cwError(status: number, code: string, message: string, errors: CwFieldError[] | null = null, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { code, message, errors }, headers);
}

export function invalidObject(resource: string, field: string, message: string): Reply {
  return cwError(400, "InvalidObject", `${resource} object is invalid`, [{ code: "InvalidField", message, resource, field }]);
}
