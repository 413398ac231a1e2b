import type { ExpiryAction } from "@/lib/vocabulary/expiry-actions";

/**
 * The customer's expiry actions as phases run one after another, the actions of a phase together. Up to the
 * role removal each action waits for the one before it: the roles are the admin access, and Entra refuses
 * changes to a user who still holds one. After that the account is a plain user, and its remaining actions
 * (pass, sessions, disable, password) are independent, so they run together and a slow one does not hold up
 * the rest. Deleting the account comes last: it would turn the others' read-backs into "not found".
 */
export function expiryPhases(actions: readonly ExpiryAction[]): ExpiryAction[][] {
  const rolesAt = actions.indexOf("remove_roles");
  const sequential = rolesAt === -1 ? [] : actions.slice(0, rolesAt + 1);
  const afterRoles = rolesAt === -1 ? actions : actions.slice(rolesAt + 1);
  const together = afterRoles.filter((a) => a !== "delete");
  return [
    ...sequential.map((a) => [a]),
    ...(together.length ? [together] : []),
    ...(afterRoles.includes("delete") ? [["delete" as const]] : []),
  ];
}
