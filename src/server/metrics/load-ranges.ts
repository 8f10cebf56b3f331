// The chart ranges and the storage tier each reads: raw samples for the hour (one point per
// sweep), 5-minute rollups for the day (288 points), hourly rollups for the week (168).
import { z } from "zod";

export const LOAD_RANGES = {
  hour: { label: "Last hour", ms: 3600_000, resolution: 0 },
  day: { label: "Last day", ms: 86_400_000, resolution: 300 },
  week: { label: "Last week", ms: 7 * 86_400_000, resolution: 3600 },
} as const;

export type LoadRange = keyof typeof LOAD_RANGES;

/** A `?range=` search parameter; anything unknown shows the day. */
export const loadRangeSchema = z.enum(["hour", "day", "week"]).catch("day");
