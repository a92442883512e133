import type {
  ChangeWindowGateDefinition,
  FreezeWindow,
  Weekday,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { unknown, type GateVerdict, type PolicyInput } from '../PolicyInput';

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The wall-clock time in a time zone, as the freeze windows are written. */
interface LocalTime {
  /** `YYYY-MM-DDTHH:mm` */
  dateTime: string;
  /** `HH:mm` */
  clock: string;
  day: Weekday;
}

/** Denies promotion while `now` is inside one of the gate's freeze windows. */
export function changeWindowGate(
  gate: ChangeWindowGateDefinition,
  input: PolicyInput,
): GateVerdict {
  const local = localTime(input.now, gate.timeZone);
  if (!local) {
    return unknown(
      `The current time in ${gate.timeZone} could not be determined`,
    );
  }
  const evidence = [
    {
      label: `time in ${gate.timeZone}`,
      value: `${local.dateTime} (${local.day})`,
    },
  ];
  const active = gate.freezes.filter(window => isInside(window, local));
  if (active.length > 0) {
    return {
      outcome: 'fail',
      reason: `Inside the change freeze ${active
        .map(w => `"${w.name}" (${describe(w)})`)
        .join(', ')}, ${gate.timeZone}`,
      evidence: [
        ...evidence,
        ...active.map(w => ({ label: `freeze ${w.name}`, value: describe(w) })),
      ],
    };
  }
  return {
    outcome: 'pass',
    reason: `Outside every change freeze (${gate.timeZone})`,
    evidence,
  };
}

function isInside(window: FreezeWindow, local: LocalTime): boolean {
  if ('start' in window) {
    // both sides are zero-padded local date-times, so strings compare in time order
    return window.start <= local.dateTime && local.dateTime < window.end;
  }
  const today = window.days.includes(local.day);
  if (window.from <= window.to) {
    return today && window.from <= local.clock && local.clock <= window.to;
  }
  // crosses midnight: the evening of a listed day or the morning after it
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(local.day) + 6) % 7];
  return (
    (today && local.clock >= window.from) ||
    (window.days.includes(yesterday) && local.clock <= window.to)
  );
}

function describe(window: FreezeWindow): string {
  return 'start' in window
    ? `${window.start} to ${window.end}`
    : `${window.days.join(',')} ${window.from}-${window.to}`;
}

/** Wall-clock time of `now` in `timeZone`, or undefined when either is invalid. */
export function localTime(now: Date, timeZone: string): LocalTime | undefined {
  if (Number.isNaN(now.getTime())) return undefined;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return undefined;
  }
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find(p => p.type === type)?.value ?? '';
  const clock = `${get('hour')}:${get('minute')}`;
  return {
    dateTime: `${get('year')}-${get('month')}-${get('day')}T${clock}`,
    clock,
    day: get('weekday').slice(0, 3).toLowerCase() as Weekday,
  };
}
