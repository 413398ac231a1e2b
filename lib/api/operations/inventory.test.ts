import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeFileOf } from "@/lib/api/operation";
import { operationList, operations } from "@/lib/api/operations";

const root = process.cwd();
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [path.relative(root, full)] : [];
  });
}

/** Each exported method of a route file, with the operation it hands to the wrapper (or null). */
function bindingsOf(file: string): { method: string; operation: string | null }[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return methods.flatMap((method) => {
    const exported = new RegExp(`export const ${method}\\s*=\\s*(.*)`).exec(text);
    if (!exported) return [];
    const bound = /^route\(operations\.(\w+)\s*,/.exec(exported[1]!.trim());
    return [{ method, operation: bound ? bound[1]! : null }];
  });
}

describe("the operation registry and the route tree", () => {
  const files = routeFiles(path.join(root, "app/api"));
  const bindings = files.flatMap((file) => bindingsOf(file).map((b) => ({ file, ...b })));

  it("binds every exported route handler through the one wrapper to a declared operation", () => {
    expect(bindings.filter((b) => b.operation === null || !(b.operation in operations)).map((b) => `${b.method} ${b.file}`)).toEqual([]);
  });

  it("serves each operation from the file and method its declaration names", () => {
    const misplaced = bindings
      .map((b) => ({ ...b, op: operations[b.operation as keyof typeof operations] }))
      .filter((b) => b.op && (routeFileOf(b.op) !== b.file || b.op.method !== b.method))
      .map((b) => `${b.method} ${b.file} serves ${b.operation} (${b.op.method} ${b.op.path})`);
    expect(misplaced).toEqual([]);
  });

  it("has a route for every declared operation, once", () => {
    const served = bindings.map((b) => b.operation);
    expect(operationList.filter((op) => served.filter((id) => id === op.id).length !== 1).map((op) => op.id)).toEqual([]);
  });

  it("declares each id once, under its own name, and each method and path once", () => {
    for (const [key, op] of Object.entries(operations)) expect(op.id).toBe(key);
    const routes = operationList.map((op) => `${op.method} ${op.path}`);
    expect(routes.length).toBe(new Set(routes).size);
  });
});
