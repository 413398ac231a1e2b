export const teamsOperations = {};
