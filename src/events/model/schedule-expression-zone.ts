/**
 * Wall-clock time in an IANA time zone, as epoch-style numbers: a "wall" value is the local
 * date and time written as if it were UTC (`2026-03-08T02:30:00` in New York is the wall value of
 * `Date.UTC(2026, 2, 8, 2, 30)`), so cron fields can be matched on it without any zone logic.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
}

/** Whether `zone` is a time zone name the runtime's tz database knows (`America/New_York`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 50) return false;
  try {
    formatFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** True for zones with no offset, where wall and instant are the same number. */
function isUtc(zone: string | undefined): boolean {
  return zone === undefined || zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT';
}

/** The wall value of `instant` in `zone`, to the second. */
export function wallOf(instant: number, zone: string | undefined): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  if (isUtc(zone)) return seconds;
  const parts: Record<string, number> = {};
  for (const part of formatFor(zone!).formatToParts(seconds)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The zone's offset (wall minus instant) at `instant`, in ms. */
function offsetAt(instant: number, zone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  return wallOf(seconds, zone) - seconds;
}

const DAY_MS = 86_400_000;

/**
 * The instants whose wall value in `zone` is `wall`, earliest first: one normally, two in the
 * hour a clock goes back (1:30 happens twice), none in the hour it skips (2:30 on the day New
 * York springs forward). Offsets a day either side bracket the one transition such a day has.
 */
export function instantsOf(wall: number, zone: string | undefined): number[] {
  if (isUtc(zone)) return [wall];
  const before = wall - offsetAt(wall - DAY_MS, zone!);
  const after = wall - offsetAt(wall + DAY_MS, zone!);
  const found = new Set<number>();
  for (const candidate of [before, after]) {
    if (wallOf(candidate, zone) === wall) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The instant of `wall` for a one-time schedule: the earlier of two in a repeated hour; in a
 * skipped hour, the instant the same distance past the transition (2:30 becomes 3:30).
 */
export function instantOfWall(wall: number, zone: string | undefined): number {
  const instants = instantsOf(wall, zone);
  if (instants.length > 0) return instants[0]!;
  return wall - offsetAt(wall - DAY_MS, zone!);
}
