import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string[]; from: string; messageId: string | null; subject: string; text: string; html: string; raw: string };

export type LocalSmtp = { port: number; received: ReceivedMail[]; close: () => Promise<void>; onMail?: (mail: ReceivedMail) => void };

function parsedToMail(parsed: ParsedMail, raw: string, to: string[], from: string): ReceivedMail {
  return { to, from, messageId: parsed.messageId ?? null, subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "", raw };
}

/**
 * A real SMTP server on a local port (by default a free one) (no TLS, no auth required), keeping every message it accepts, parsed by
 * mailparser. `reject` makes it answer the next N messages with a temporary failure, as a full mailbox would.
 */
export async function startLocalSmtp(port = 0): Promise<LocalSmtp & { reject: (n: number) => void }> {
  const received: ReceivedMail[] = [];
  let rejecting = 0;
  const handle: LocalSmtp & { reject: (n: number) => void } = {
    port: 0,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    reject: (n) => {
      rejecting = n;
    },
  };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (rejecting > 0) {
          rejecting -= 1;
          const err = Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            const mail = parsedToMail(parsed, raw, session.envelope.rcptTo.map((r) => r.address), session.envelope.mailFrom ? session.envelope.mailFrom.address : "");
            received.push(mail);
            handle.onMail?.(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  handle.port = (server.server.address() as AddressInfo).port;
  return handle;
}
