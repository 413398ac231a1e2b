import { redirect } from "next/navigation";
import { currentSession } from "@/lib/http/current-session";
import { isSetupOpen } from "@/lib/services/setup/status";

export const dynamic = "force-dynamic";

export default async function Home() {
  if (await isSetupOpen()) redirect("/setup");
  redirect((await currentSession()) ? "/overview" : "/sign-in");
}
