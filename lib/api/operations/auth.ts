export const authOperations = {};
