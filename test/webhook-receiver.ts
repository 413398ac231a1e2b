import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { headers: http.IncomingHttpHeaders; body: string; at: number; status: number };

/**
 * A real local HTTP receiver. `answers` is consumed one per request: a status to answer with, or "hang" to keep
 * the request open until close (a receiver that never answers); once spent, every request gets 200.
 */
export async function startReceiver(answers: (number | "hang")[] = []) {
  const requests: ReceivedRequest[] = [];
  const hanging: http.ServerResponse[] = [];
  const queue = [...answers];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = queue.shift() ?? 200;
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now(), status: answer === "hang" ? 0 : answer });
      if (answer === "hang") {
        hanging.push(res);
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    /** Adds answers for the requests still to come. */
    answer: (...more: (number | "hang")[]) => queue.push(...more),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
