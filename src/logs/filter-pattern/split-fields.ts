/**
 * Splits a message into space-delimited fields as CloudWatch does: runs of spaces separate
 * fields; text in double quotes or square brackets is one field, without its quotes or brackets.
 *
 *   127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534
 *   -> 127.0.0.1 | - | frank | 10/Oct/2000:13:25:15 -0700 | GET /index.html HTTP/1.0 | 404 | 1534
 */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = message.length;
  while (i < n) {
    const c = message[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        out.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < n && !/\s/.test(message[j]!)) j += 1;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}
