/**
 * The TIMESTAMP of a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER answer.
 *
 * Format: Java's `EEE MMM d HH:mm:ss z yyyy` in English and UTC, e.g. `Tue Sep 5 10:00:00 UTC 2023`:
 * the day of the month is NOT zero-padded, hours/minutes/seconds are. This is what
 * amazon-cognito-identity-js (DateHelper.getNowString) and Amplify v6 (getNowString) send.
 *
 * How Cognito treats it (from public reports against real pools):
 * - a string it cannot parse as that pattern → InvalidParameterException
 *   "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
 * - parseable but not in the canonical form — zero-padded day (`Sep 05`), a weekday that does
 *   not match the date — → NotAuthorizedException "Incorrect username or password.": Cognito
 *   signs the canonical form, so the client's signature never matches.
 * - how far from the server clock it may be is not documented, and nothing published shows
 *   Cognito rejecting a skewed clock. The clients never correct their clock for it
 *   (amazon-cognito-identity-js only corrects token expiry for drift *after* sign-in), so a
 *   tight window would lock out devices whose clocks are off. Replay protection comes from the
 *   single-use, server-issued SECRET_BLOCK, not from this timestamp. We therefore accept
 *   ±24 hours by default (a clock set in the wrong time zone is off by at most 14 h), which
 *   still refuses stale or absurd values; callers may pass a tighter window.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export const DEFAULT_SRP_TIMESTAMP_SKEW_MS = 24 * 60 * 60 * 1000;

const two = (n: number) => String(n).padStart(2, '0');

/** `Tue Sep 5 10:00:00 UTC 2023` — exactly what the clients produce for `date`. */
export function formatSrpTimestamp(date: Date): string {
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

// Loose on purpose: anything this accepts is "parseable" (NotAuthorized if not canonical),
// anything else is a format error (InvalidParameter).
const LOOSE = /^([A-Za-z]{3}) ([A-Za-z]{3}) (\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2}) (UTC|GMT) (\d{4})$/;

export type SrpTimestampCheck =
  | { ok: true; date: Date }
  | { ok: false; reason: 'malformed' | 'noncanonical' | 'skewed' };

/**
 * Classifies a TIMESTAMP: `malformed` maps to InvalidParameterException, `noncanonical` and
 * `skewed` to NotAuthorizedException (see the module comment for why).
 */
export function checkSrpTimestamp(
  timestamp: string,
  now: Date,
  maxSkewMs: number = DEFAULT_SRP_TIMESTAMP_SKEW_MS,
): SrpTimestampCheck {
  if (typeof timestamp !== 'string' || timestamp.length > 64) return { ok: false, reason: 'malformed' };
  const m = LOOSE.exec(timestamp);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, weekday, monthName, day, hh, mm, ss, , year] = m as unknown as [string, string, string, string, string, string, string, string, string];
  const month = MONTHS.findIndex((name) => name.toLowerCase() === monthName.toLowerCase());
  if (month < 0 || !WEEKDAYS.some((name) => name.toLowerCase() === weekday.toLowerCase())) {
    return { ok: false, reason: 'malformed' };
  }
  // Date.UTC rolls over out-of-range fields (Feb 30 → Mar 2) like Java's lenient parser;
  // the canonical comparison below then rejects them.
  const date = new Date(Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)));
  if (Number.isNaN(date.getTime()) || formatSrpTimestamp(date) !== timestamp) {
    return { ok: false, reason: 'noncanonical' };
  }
  if (Math.abs(date.getTime() - now.getTime()) > maxSkewMs) return { ok: false, reason: 'skewed' };
  return { ok: true, date };
}

/** True when `timestamp` is canonical and within `maxSkewMs` of `now`. */
export const isValidSrpTimestamp = (timestamp: string, now: Date, maxSkewMs?: number): boolean =>
  checkSrpTimestamp(timestamp, now, maxSkewMs).ok;
