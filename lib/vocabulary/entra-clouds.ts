/** Where a customer's tenant lives: Microsoft's cloud (as configured), or the emulated sandbox. */
export const entraClouds = ["microsoft", "sandbox"] as const;
export type EntraCloud = (typeof entraClouds)[number];
