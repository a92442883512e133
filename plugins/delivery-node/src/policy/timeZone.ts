/** True when `Intl` knows the IANA time zone. @public */
export function isSupportedTimeZone(timeZone: string): boolean {
  try {
    return Boolean(new Intl.DateTimeFormat('en-US', { timeZone }));
  } catch {
    return false;
  }
}
