import type { Operation } from "@/lib/api/operation";
import { meOperations } from "./me";
import { customersOperations } from "./customers";
import { accessLevelsOperations } from "./access-levels";
import { grantsOperations } from "./grants";
import { launchTicketsOperations } from "./launch-tickets";
import { extensionPairingsOperations } from "./extension-pairings";
import { auditOperations } from "./audit";
import { tokensOperations } from "./tokens";
import { authOperations } from "./auth";
import { accountOperations } from "./account";
import { membersOperations } from "./members";
import { teamsOperations } from "./teams";
import { delegationsOperations } from "./delegations";
import { systemOperations } from "./system";
import { policiesOperations } from "./policies";
import { approvalsOperations } from "./approvals";
import { notificationsOperations } from "./notifications";
import { hooksOperations } from "./hooks";

/** Every HTTP operation the product serves, by id: the public API (/api/v1) and the console's own. */
export const operations = {
  ...meOperations,
  ...customersOperations,
  ...accessLevelsOperations,
  ...grantsOperations,
  ...launchTicketsOperations,
  ...extensionPairingsOperations,
  ...auditOperations,
  ...tokensOperations,
  ...policiesOperations,
  ...approvalsOperations,
  ...notificationsOperations,
  ...hooksOperations,
  ...authOperations,
  ...accountOperations,
  ...membersOperations,
  ...teamsOperations,
  ...delegationsOperations,
  ...systemOperations,
} as const satisfies Record<string, Operation>;

export type Operations = typeof operations;
export type OperationId = keyof Operations;
export const operationList: readonly Operation[] = Object.values(operations);

/** The operations of the public API (/api/v1): the browser extension calls only these. */
export type PublicOperationId = { [Id in OperationId]: Operations[Id]["path"] extends `/api/v1/${string}` ? Id : never }[OperationId];
