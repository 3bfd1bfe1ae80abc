/** A duration in hours (may be fractional). */
export type Hours = number;
/** A distance in kilometres. */
export type Km = number;
/** Twenty-foot equivalent units: a 20' container is 1 TEU, a 40' or 45' container 2 TEU. */
export type Teu = number;
/** An instant as milliseconds since 1970-01-01T00:00:00Z. */
export type EpochMs = number;
/** A calendar date written YYYY-MM-DD, without a time zone. */
export type IsoDate = string;

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
