import type { Message } from "./message";

// Slack mrkdwn treats &, < and > as control characters.
const mrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A Slack incoming-webhook body: `text` is the notification and fallback, `blocks` the layout
 * (https://api.slack.com/messaging/webhooks, Block Kit section and actions blocks).
 */
export function renderSlack(m: Message) {
  const text = `${m.urgent ? ":rotating_light: " : ""}*${mrkdwn(m.title)}*: ${mrkdwn(m.summary)}`;
  return {
    text,
    blocks: [
      { type: "header", text: { type: "plain_text", text: m.title.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: mrkdwn(m.summary) } },
      {
        type: "section",
        // Slack allows at most 10 fields per section.
        fields: m.facts.slice(0, 10).map(([k, v]) => ({ type: "mrkdwn", text: `*${mrkdwn(k)}*\n${mrkdwn(v)}`.slice(0, 2000) })),
      },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: m.action.label }, url: m.action.url, ...(m.urgent ? { style: "danger" } : {}) }] },
    ],
  };
}
