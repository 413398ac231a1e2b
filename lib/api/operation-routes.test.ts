import { describe, expect, it } from "vitest";
import { operationRoutes } from "./operation-routes";
import { operationList } from "./operations";

describe("the console client's operation routes", () => {
  it("name every operation of the registry with its method and path (else run `npm run api:routes`)", () => {
    const fromRegistry = Object.fromEntries(operationList.map((o) => [o.id, { method: o.method, path: o.path }]));
    expect(operationRoutes).toEqual(fromRegistry);
  });
});
