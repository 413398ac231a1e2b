/**
 * "Chrome 131 on Linux" from a User-Agent header: enough for a member to recognise their own browser (on a
 * pairing's approval page, in their list of sessions), no more. The header is the requester's word, so pages
 * show it as a hint, with the whole header on hover.
 */
const browsers: [RegExp, string][] = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/Chrome\/(\d+)/, "Chrome"],
  [/Version\/(\d+)[^ ]* .*Safari\//, "Safari"],
];
const systems: [RegExp, string][] = [
  [/Windows NT/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Android/, "Android"],
  [/iPhone|iPad/, "iOS"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser = browsers.find(([re]) => re.test(userAgent));
  const system = systems.find(([re]) => re.test(userAgent))?.[1];
  const name = browser ? `${browser[1]} ${browser[0].exec(userAgent)![1]}` : "Unknown browser";
  return system ? `${name} on ${system}` : name;
}
