import { describe, expectTypeOf, it } from "vitest";
import { enqueue } from "./producer";

// Compile-time checks (tsc reads this file): a job's name and data come from jobs/definitions. The calls are
// never made.
describe("enqueue", () => {
  it("takes only a defined job name, with that job's data", () => {
    expectTypeOf(enqueue<"grant.expire">).parameter(1).toEqualTypeOf<{ mspId: string; grantId: string }>();
    // @ts-expect-error a job Stint does not define
    expectTypeOf(() => enqueue("grant.expired", { mspId: "m", grantId: "g" })).toBeFunction();
    // @ts-expect-error the data of another job
    expectTypeOf(() => enqueue("grant.expire", { mspId: "m" })).toBeFunction();
    // @ts-expect-error a field the job does not take
    expectTypeOf(() => enqueue("session.cleanup", { mspId: "m" })).toBeFunction();
  });
});
