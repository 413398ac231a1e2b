import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";

export const meOperations = {
  getMe: op({ id: "getMe", method: "GET", path: "/api/v1/me", tag: "Me", summary: "Who is calling", auth: "session+token", scope: null, output: s.meOutput, status: 200 }),
};
