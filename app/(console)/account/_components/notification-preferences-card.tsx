"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { EventCheckboxes } from "@/components/console/notification-event-checkboxes";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { notificationEvents, type NotificationEvent } from "@/lib/vocabulary/notification-events";

/** Which events e-mail the member: those that concern them (their requests and grants, approvals asked of them, alerts for admins). */
export function NotificationPreferencesCard({ mutedEvents, email }: { mutedEvents: NotificationEvent[]; email: string }) {
  const [wanted, setWanted] = useState<NotificationEvent[]>(notificationEvents.filter((e) => !mutedEvents.includes(e)));
  const [state, setState] = useState<"idle" | "saving" | "saved" | string>("idle");
  return (
    <Card>
      <CardHeader>
        <CardTitle>E-mail notifications</CardTitle>
        <CardDescription>Stint e-mails you at {email} about events that concern you: your requests and access, approvals asked of you, and alerts for admins.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          data-testid="notification-preferences"
          onSubmit={async (e) => {
            e.preventDefault();
            setState("saving");
            try {
              await api("updateMyNotificationPreferences", { body: { mutedEvents: notificationEvents.filter((x) => !wanted.includes(x)) } });
              setState("saved");
            } catch (err) {
              setState(err instanceof Error ? err.message : "Could not save.");
            }
          }}
        >
          <EventCheckboxes idPrefix="pref" legend="E-mail me about" checked={wanted} onChange={setWanted} />
          {state === "saved" ? <Alert variant="success">Saved.</Alert> : state !== "idle" && state !== "saving" ? <Alert variant="error">{state}</Alert> : null}
          <div>
            <Button type="submit" disabled={state === "saving"}>
              Save preferences
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
