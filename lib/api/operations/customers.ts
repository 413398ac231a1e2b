import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";

export const customersOperations = {
  listCustomers: op({ id: "listCustomers", method: "GET", path: "/api/v1/customers", tag: "Customers", summary: "List the customers you can see", auth: "session+token", scope: "customers:read", query: s.pageQuery, output: s.customerPage, status: 200 }),
  getCustomer: op({ id: "getCustomer", method: "GET", path: "/api/v1/customers/{customerId}", tag: "Customers", summary: "Read one customer", auth: "session+token", scope: "customers:read", params: s.customerParams, output: s.customerOutput, status: 200, customerBound: true }),
  getMyAccess: op({
    id: "getMyAccess",
    method: "GET",
    path: "/api/v1/customers/{customerId}/my-access",
    tag: "Customers",
    summary: "What you may request on one customer",
    auth: "session+token",
    scope: "customers:read",
    params: s.customerParams,
    output: s.myAccessOutput,
    status: 200,
    customerBound: true,
  }),
};
