export const delegationsOperations = {};
