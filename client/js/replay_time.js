// @ts-check
/**
 * The evening's timeline as the replay page holds it (`GET …/replay/timeline`): every event's
 * position and time, where a moment falls among them, the jumps between events and between the
 * clock's boundaries, and times shown in the meeting's own time zone.
 *
 * A moment is an instant (µs, UTC). Its events are the log up to the first event recorded after
 * it, as the server folds it (`server/cli/fold.py`), so the page and `?at=` agree.
 */

/**
 * @typedef {Object} Boundary a clock event as recorded (projections/meeting.py `_entry`)
 * @property {string} type RotationStarted, RotationEnded, PhaseChanged, RoundtablesStarted
 * @property {number} position
 * @property {number} recorded_at
 * @property {number} [rotation]
 * @property {string} [phase]
 * @property {string} [kind]
 */

export class Timeline {
  /** @param {any} data the timeline endpoint's body */
  constructor(data) {
    this.data = data;
    /** @type {string} */
    this.timeZone = data.timezone;
    /** @type {[number, number, string][]} [position, recorded_at, type] */
    this.events = data.events;
    /** @type {number[]} the latest time up to each event */
    this.reached = [];
    let latest = -Infinity;
    for (const [, at] of this.events) {
      latest = Math.max(latest, at);
      this.reached.push(latest);
    }
    /** @type {number} */
    this.first = data.first.recorded_at;
    /** @type {number} */
    this.last = Math.max(data.last.recorded_at, latest);
    /** @type {Boundary[]} */
    this.boundaries = data.boundaries;
    /** @type {number[]} the boundaries' instants, without repeats, in order */
    this.marks = [...new Set(this.boundaries.map((b) => b.recorded_at))].sort((a, b) => a - b);
  }

  /**
   * How many events a moment holds.
   * @param {number} instant
   * @returns {number}
   */
  countAt(instant) {
    let low = 0;
    let high = this.reached.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.reached[mid] <= instant) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * The position a moment stands at (0 before the first event).
   * @param {number} instant
   * @returns {number}
   */
  positionAt(instant) {
    const count = this.countAt(instant);
    return count ? this.events[count - 1][0] : 0;
  }

  /**
   * The instant of the event at `position` (the moment just after it), or null.
   * @param {number} position
   * @returns {number | null}
   */
  instantOf(position) {
    const found = this.events.findIndex(([p]) => p === position);
    return found < 0 ? null : this.reached[found];
  }

  /**
   * The moment just after the next (or previous) event.
   * @param {number} instant
   * @param {1 | -1} direction
   * @returns {number}
   */
  stepEvent(instant, direction) {
    const count = this.countAt(instant);
    if (direction > 0) return count < this.reached.length ? this.reached[count] : this.last;
    // back: one event fewer (events recorded in the same microsecond go together)
    const shown = count ? this.reached[count - 1] : this.first;
    for (let i = count - 1; i >= 0; i--) if (this.reached[i] < shown) return this.reached[i];
    return this.first;
  }

  /**
   * The next (or previous) rotation boundary or phase change.
   * @param {number} instant
   * @param {1 | -1} direction
   * @returns {number}
   */
  stepBoundary(instant, direction) {
    if (direction > 0) return this.marks.find((m) => m > instant) ?? this.last;
    const before = this.marks.filter((m) => m < instant);
    return before.length ? before[before.length - 1] : this.first;
  }

  /**
   * @param {number} instant
   * @returns {number} clamped to the evening
   */
  clamp(instant) {
    return Math.min(this.last, Math.max(this.first, instant));
  }

  /**
   * @param {number} instant µs
   * @param {boolean} [seconds]
   * @returns {string} the meeting's local time, "19:35:20" (or "19:35")
   */
  local(instant, seconds = true) {
    return localTime(instant, this.timeZone, seconds);
  }
}

/**
 * @param {number} instant µs since the epoch
 * @param {string} timeZone
 * @param {boolean} [seconds]
 * @returns {string} 24-hour local time
 */
export function localTime(instant, timeZone, seconds = true) {
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone };
  if (seconds) options.second = "2-digit";
  try {
    return new Intl.DateTimeFormat("en-GB", options).format(Math.floor(instant / 1000));
  } catch {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: undefined }).format(Math.floor(instant / 1000));
  }
}

/**
 * What a boundary is called on the timeline.
 * @param {Boundary} b
 * @returns {string}
 */
export function boundaryLabel(b) {
  if (b.type === "RotationStarted") return `Rotation ${b.rotation} starts`;
  if (b.type === "RotationEnded") return `Rotation ${b.rotation} ends`;
  if (b.type === "RoundtablesStarted") return "Roundtables start";
  return `Phase: ${b.phase}`;
}
