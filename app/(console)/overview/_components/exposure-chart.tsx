"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

export type ChartRow = { label: string; value: number };

type Props = {
  /** Names the chart, its table and its toggle. */
  title: string;
  labelHeading: string;
  valueHeading: string;
  rows: ChartRow[];
  /** Bars across (many short labels: days) or down (names). */
  layout: "columns" | "bars";
  testId: string;
};

const BAR_HEIGHT = 28;

/**
 * A bar chart with the same numbers as a table one button away. The chart is a picture to assistive
 * technology, summed up in its label; the table is what a screen reader or a copy-paste wants.
 */
export function ExposureChart({ title, labelHeading, valueHeading, rows, layout, testId }: Props) {
  const [asTable, setAsTable] = useState(false);
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  const top = rows.toSorted((a, b) => b.value - a.value)[0];
  const summary = rows.length === 0 || total === 0 ? `${title}: none in this period.` : `${title}: ${rows.length} rows, highest ${top!.label} with ${top!.value}.`;
  const height = layout === "bars" ? Math.max(120, rows.length * BAR_HEIGHT + 40) : 220;
  return (
    <div className="grid gap-2" data-testid={testId}>
      <div className="flex justify-end">
        <Button variant="ghost" size="sm" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? "Show as chart" : "Show as table"}
          <span className="sr-only">: {title}</span>
        </Button>
      </div>
      {asTable ? (
        <Table>
          <THead>
            <TR>
              <TH>{labelHeading}</TH>
              <TH className="text-right">{valueHeading}</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={r.label}>
                <TD>{r.label}</TD>
                <TD className="text-right tabular-nums">{r.value}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : rows.every((r) => r.value === 0) ? (
        <p className="py-6 text-center text-sm text-muted-foreground">No admin access in this period.</p>
      ) : (
        <div role="img" aria-label={summary} style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            {layout === "bars" ? (
              <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                <CartesianGrid horizontal={false} stroke="var(--color-border)" />
                <XAxis type="number" allowDecimals tick={{ fontSize: 12 }} />
                <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 12 }} />
                <Tooltip formatter={(v) => [v, valueHeading]} />
                <Bar dataKey="value" fill="var(--color-primary)" radius={[0, 3, 3, 0]} isAnimationActive={false} />
              </BarChart>
            ) : (
              <BarChart data={rows} margin={{ left: 0, right: 8, top: 4, bottom: 4 }}>
                <CartesianGrid vertical={false} stroke="var(--color-border)" />
                <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={16} />
                <YAxis allowDecimals={false} width={32} tick={{ fontSize: 12 }} />
                <Tooltip formatter={(v) => [v, valueHeading]} />
                <Bar dataKey="value" fill="var(--color-primary)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
              </BarChart>
            )}
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
