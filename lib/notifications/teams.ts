import type { Message } from "./message";

/**
 * A Microsoft Teams incoming-webhook (Workflows) body: a message carrying one Adaptive Card
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
 */
export function renderTeams(m: Message) {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body: [
            { type: "TextBlock", text: m.title, weight: "Bolder", size: "Medium", wrap: true, color: m.urgent ? "Attention" : "Default" },
            { type: "TextBlock", text: m.summary, wrap: true },
            { type: "FactSet", facts: m.facts.map(([title, value]) => ({ title, value })) },
          ],
          actions: [{ type: "Action.OpenUrl", title: m.action.label, url: m.action.url }],
        },
      },
    ],
  };
}
