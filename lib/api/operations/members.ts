export const membersOperations = {};
