/** When an access policy asks another member to approve a request. */
export const approvalModes = ["never", "always", "outside_hours", "privileged"] as const;
export type ApprovalMode = (typeof approvalModes)[number];

export const approvalModeLabels: Record<ApprovalMode, string> = {
  never: "Never",
  always: "Always",
  outside_hours: "Outside the policy's hours",
  privileged: "For access levels flagged privileged",
};
