import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { headers: http.IncomingHttpHeaders; body: string; at: number; status: number };

/** A status alone, a JSON body (status 200 unless given), or "hang": keep the request open until close. */
export type ReceiverAnswer = number | "hang" | { status?: number; json: unknown };

/**
 * A real local HTTP receiver. `answers` is consumed one per request; once spent, every request gets 200.
 */
export async function startReceiver(answers: ReceiverAnswer[] = []) {
  const requests: ReceivedRequest[] = [];
  const hanging: http.ServerResponse[] = [];
  const queue = [...answers];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = queue.shift() ?? 200;
      const status = answer === "hang" ? 0 : typeof answer === "number" ? answer : (answer.status ?? 200);
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now(), status });
      if (answer === "hang") {
        hanging.push(res);
        return;
      }
      if (typeof answer === "object") res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer.json));
      else res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    /** Adds answers for the requests still to come. */
    answer: (...more: ReceiverAnswer[]) => queue.push(...more),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
