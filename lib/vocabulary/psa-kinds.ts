/** The PSAs Stint checks tickets in, and their names as people know them. */
export const psaKinds = ["halopsa", "connectwise"] as const;
export type PsaKind = (typeof psaKinds)[number];

export const psaKindLabels: Record<PsaKind, string> = { halopsa: "HaloPSA", connectwise: "ConnectWise PSA" };
