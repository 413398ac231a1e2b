import { op } from "@/lib/api/operation";
import { createdOutput, paramsOf } from "@/lib/api/schemas/common";
import { membershipInput, teamInput } from "@/lib/services/teams/schemas";

const teamParams = paramsOf("teamId", "Team id.");

export const teamsOperations = {
  createTeam: op({
    id: "createTeam",
    method: "POST",
    path: "/api/teams",
    tag: "Teams",
    summary: "Create a team (delegations to it cover its members)",
    auth: "session",
    permission: "delegations:manage",
    body: teamInput,
    output: createdOutput,
    status: 201,
    errors: { 409: "conflict: a team with this name already exists" },
  }),
  removeTeam: op({
    id: "removeTeam",
    method: "DELETE",
    path: "/api/teams/{teamId}",
    tag: "Teams",
    summary: "Delete a team with its delegations; grants only they covered end",
    auth: "session",
    permission: "delegations:manage",
    params: teamParams,
    output: null,
    status: 204,
  }),
  setTeamMembership: op({
    id: "setTeamMembership",
    method: "PUT",
    path: "/api/teams/{teamId}/members",
    tag: "Teams",
    summary: "Add a member to a team or take them out",
    description: "Adding oneself to a team that holds delegations needs a fresh passkey step-up (403 step_up_required).",
    auth: "session",
    permission: "delegations:manage",
    params: teamParams,
    body: membershipInput,
    output: null,
    status: 204,
  }),
};
