/**
 * ALB's stickiness cookies. AWS encrypts their values; here they are base64url of what they
 * point at (a target group, or a target group and a target key), which is enough to route and
 * reveals nothing a client could not see anyway.
 *  - AWSALB / AWSALBCORS: lb_cookie target stickiness (CORS twin with SameSite=None; Secure).
 *  - AWSALBAPP-0: app_cookie stickiness, issued when the target sets the named application cookie.
 *  - AWSALBTG / AWSALBTGCORS: target-group stickiness of a weighted forward.
 */

export const LB_COOKIE = 'AWSALB';
export const APP_COOKIE = 'AWSALBAPP-0';
export const GROUP_COOKIE = 'AWSALBTG';

export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const name = part.slice(0, eq).trim();
      if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
    }
  }
  return out;
}

export function encodeValue(...parts: string[]): string {
  return Buffer.from(parts.join('\n')).toString('base64url');
}

export function decodeValue(value: string | undefined): string[] {
  if (!value) return [];
  return Buffer.from(value, 'base64url').toString().split('\n');
}

/** The cookie pair ALB sets: the plain one and its CORS twin. */
export function stickyCookies(name: string, value: string, durationSeconds: number, now: number): string[] {
  const expires = new Date(now + durationSeconds * 1000).toUTCString();
  return [
    `${name}=${value}; Expires=${expires}; Path=/`,
    `${name}CORS=${value}; Expires=${expires}; Path=/; SameSite=None; Secure`,
  ];
}

/** Whether a response's Set-Cookie headers set the named application cookie. */
export function setsCookie(setCookie: string | string[] | undefined, name: string): boolean {
  if (!setCookie) return false;
  return (Array.isArray(setCookie) ? setCookie : [setCookie]).some((c) =>
    c.trimStart().startsWith(`${name}=`),
  );
}
