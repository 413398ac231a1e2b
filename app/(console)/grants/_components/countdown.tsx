"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useFormatMoment } from "@/components/time/viewer-time-zone";
import { cn } from "@/lib/utils";
import { formatClock } from "@/lib/time/durations";

/** The current time, ticking every second; null until mounted, so server and browser render the same. */
function useNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const OVERDUE_REFRESH_MS = 5000;

/** Once the time is up, reloads the page's data every few seconds until the grant has moved on (and this countdown is gone). */
function useRefreshWhenOverdue(overdue: boolean, enabled: boolean) {
  const router = useRouter();
  useEffect(() => {
    if (!enabled || !overdue) return;
    router.refresh();
    const timer = setInterval(() => router.refresh(), OVERDUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [overdue, enabled, router]);
}

type Props = { endsAt: string; warnBelowMinutes?: number; refreshWhenDone?: boolean };

/** Time left until `endsAt`, turning amber when fewer than `warnBelowMinutes` remain. */
export function Countdown({ endsAt, warnBelowMinutes = 10, refreshWhenDone = false }: Props) {
  const now = useNow();
  const format = useFormatMoment();
  useRefreshWhenOverdue(now !== null && new Date(endsAt).getTime() <= now, refreshWhenDone);
  if (now === null) return <span className="font-mono tabular-nums text-muted-foreground">–:––</span>;
  const left = new Date(endsAt).getTime() - now;
  if (left <= 0) return <span className="text-muted-foreground">ending…</span>;
  return (
    <span
      className={cn("font-mono tabular-nums", left < warnBelowMinutes * 60_000 ? "font-semibold text-amber-600 dark:text-amber-400" : "text-foreground")}
      title={`Ends ${format(endsAt)}`}
      data-testid="countdown"
    >
      {formatClock(left)}
    </span>
  );
}
