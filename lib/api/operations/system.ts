export const systemOperations = {};
