import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageContext } from "@/lib/http/page-context";
import { listCustomers } from "@/lib/services/customers/list";
import { getNotificationSettings } from "@/lib/services/notifications/get-settings";
import { listEndpoints } from "@/lib/services/notifications/list-endpoints";
import { EndpointsCard } from "./_components/endpoints-card";
import { SettingsCard } from "./_components/settings-card";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const { ctx } = await requirePageContext("notifications:manage");
  const [endpoints, settings, customers] = await Promise.all([listEndpoints(ctx), getNotificationSettings(ctx), listCustomers(ctx)]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Where Stint reports what happens: e-mail, Microsoft Teams, Slack and signed webhooks. Members choose their own e-mail on their account page."
      />
      <div className="grid grid-cols-1 gap-6">
        <EndpointsCard endpoints={endpoints} customers={customers.map((c) => ({ id: c.id, name: c.name }))} />
        <SettingsCard settings={settings} />
      </div>
    </>
  );
}
