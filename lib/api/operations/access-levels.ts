import { op } from "@/lib/api/operation";
import { createdOutput, paramsOf } from "@/lib/api/schemas/common";
import * as s from "@/lib/api/v1/schemas";
import { accessLevelInput } from "@/lib/services/access-levels/schemas";

const accessLevelParams = paramsOf("accessLevelId", "Access level id.");

export const accessLevelsOperations = {
  listAccessLevels: op({
    id: "listAccessLevels",
    method: "GET",
    path: "/api/v1/access-levels",
    tag: "Customers",
    summary: "List the MSP's access levels",
    auth: "session+token",
    scope: "customers:read",
    permission: "customers:read_all",
    query: s.pageQuery,
    output: s.accessLevelPage,
    status: 200,
  }),
  createAccessLevel: op({
    id: "createAccessLevel",
    method: "POST",
    path: "/api/access-levels",
    tag: "Access levels",
    summary: "Define an access level (a bundle of directory roles)",
    auth: "session",
    permission: "access_levels:manage",
    body: accessLevelInput,
    output: createdOutput,
    status: 201,
  }),
  updateAccessLevel: op({
    id: "updateAccessLevel",
    method: "PUT",
    path: "/api/access-levels/{accessLevelId}",
    tag: "Access levels",
    summary: "Change an access level's name, description and roles",
    auth: "session",
    permission: "access_levels:manage",
    params: accessLevelParams,
    body: accessLevelInput,
    output: null,
    status: 204,
  }),
  archiveAccessLevel: op({
    id: "archiveAccessLevel",
    method: "DELETE",
    path: "/api/access-levels/{accessLevelId}",
    tag: "Access levels",
    summary: "Archive an access level; live grants that hold it end",
    auth: "session",
    permission: "access_levels:manage",
    params: accessLevelParams,
    output: null,
    status: 204,
  }),
};
