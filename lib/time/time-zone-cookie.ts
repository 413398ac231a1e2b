/**
 * The browser's time zone, as the browser last reported it (components/layout/browser-time-zone.tsx), so
 * the server renders times in it when the member has not chosen a zone. Not HttpOnly: the page writes it.
 */
export const TIME_ZONE_COOKIE = "stint_tz";
export const TIME_ZONE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;
