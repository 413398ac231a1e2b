import { isPublicApi } from "@/lib/api/operation";
import { operationList } from "@/lib/api/operations";

/** Method and path of each public operation, by id: what the extension's client needs of the registry. */
export function publicRoutes(): Record<string, { method: string; path: string }> {
  return Object.fromEntries(operationList.filter(isPublicApi).map((op) => [op.id, { method: op.method, path: op.path }]));
}
