// Times as people read them: relative ("4 min ago"), absolute in the viewer's own time zone on hover.
// The zone is named ("GMT+9", "EST"): the API and the server's logs are in UTC, this page is not.
const absolute = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit',
  timeZoneName: 'short',
});

const clock = new Intl.DateTimeFormat(undefined, {
  hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
});

/** The time of day of {@code date}, its zone named. */
export function clockTime(date) {
  return clock.format(date);
}

export function localTime(iso) {
  return absolute.format(new Date(iso));
}

/** A duration in seconds as "2 h 5 min", "4 min 12 s", "9 s". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) {
    return `${h} h ${m} min`;
  }
  if (m > 0) {
    return `${m} min ${rest} s`;
  }
  return `${rest} s`;
}

export function ago(iso, now) {
  return `${duration((now - Date.parse(iso)) / 1000)} ago`;
}

/** What is left of a lease: "4 min 12 s left", "ended", or "no lease". */
export function leaseLeft(expiresAt, now) {
  if (!expiresAt) {
    return 'no lease';
  }
  const left = (Date.parse(expiresAt) - now) / 1000;
  return left <= 0 ? 'ended' : `${duration(left)} left`;
}
