"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Field } from "@/components/ui/label";

/** The empty value of the select: no zone saved, follow the browser's. */
const BROWSER = "";

/** Which zone the console shows times in: the browser's (the default) or one the member picks. */
export function TimeZoneCard({ saved, browserZone, zones }: { saved: string | null; browserZone: string; zones: string[] }) {
  const [choice, setChoice] = useState(saved ?? BROWSER);
  const [done, setDone] = useState(false);
  const save = useConsoleAction("Could not save the time zone.");
  return (
    <Card>
      <CardHeader>
        <CardTitle>Time zone</CardTitle>
        <CardDescription>
          Times in the console show in this zone, named beside each one (hover for UTC), and the dates and times you enter mean it. Now:{" "}
          <Time at={new Date()} style="minute" />.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          data-testid="time-zone-setting"
          onSubmit={async (e) => {
            e.preventDefault();
            setDone(false);
            setDone(await save.run(() => api("updateMyTimeZone", { body: { timeZone: choice === BROWSER ? null : choice } })));
          }}
        >
          <Field id="time-zone" label="Time zone">
            <Select id="time-zone" value={choice} onChange={(e) => setChoice(e.target.value)} className="sm:max-w-sm">
              <option value={BROWSER}>Browser default (now: {browserZone})</option>
              {zones.map((z) => (
                <option key={z} value={z}>{z}</option>
              ))}
            </Select>
          </Field>
          {done ? <Alert variant="success">Saved.</Alert> : save.error ? <Alert variant="error">{save.error}</Alert> : null}
          <div>
            <Button type="submit" disabled={save.busy}>Save time zone</Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
