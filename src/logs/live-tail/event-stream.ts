/**
 * The AWS event stream encoding (`application/vnd.amazon.eventstream`) that StartLiveTail answers
 * in: each message is a prelude (total length, headers length, CRC32 of the two), headers (1-byte
 * name length, name, type 7 = string, 2-byte value length, value), the payload, and a CRC32 of
 * everything before it. All integers big-endian. Pure.
 */
import { crc32 } from 'node:zlib';

const STRING_TYPE = 7;

function encodeHeaders(headers: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + n.length + 3);
    head.writeUInt8(n.length, 0);
    n.copy(head, 1);
    head.writeUInt8(STRING_TYPE, 1 + n.length);
    head.writeUInt16BE(v.length, 2 + n.length);
    parts.push(head, v);
  }
  return Buffer.concat(parts);
}

/** One message with string headers and `payload`. */
export function encodeMessage(headers: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  const h = encodeHeaders(headers);
  const total = 12 + h.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(h.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  h.copy(out, 12);
  payload.copy(out, 12 + h.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** An event of the stream's union: `:event-type` names the member, the payload is its JSON. */
export const eventMessage = (eventType: string, body: unknown): Buffer =>
  encodeMessage(
    { ':message-type': 'event', ':event-type': eventType, ':content-type': 'application/json' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );

/** A modeled exception of the stream's union (SessionTimeoutException ...), ending the stream. */
export const exceptionMessage = (exceptionType: string, message: string): Buffer =>
  encodeMessage(
    { ':message-type': 'exception', ':exception-type': exceptionType, ':content-type': 'application/json' },
    Buffer.from(JSON.stringify({ message }), 'utf8'),
  );

/** Decodes messages (tests and tools); throws on a bad length or CRC. */
export function decodeMessages(data: Buffer): { headers: Record<string, string>; payload: Buffer }[] {
  const out: { headers: Record<string, string>; payload: Buffer }[] = [];
  let at = 0;
  while (at < data.length) {
    const total = data.readUInt32BE(at);
    const headersLength = data.readUInt32BE(at + 4);
    const message = data.subarray(at, at + total);
    if (message.length !== total || crc32(message.subarray(0, 8)) !== message.readUInt32BE(8))
      throw new Error('bad event stream prelude');
    if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4))
      throw new Error('bad event stream message CRC');
    const headers: Record<string, string> = {};
    let h = 12;
    while (h < 12 + headersLength) {
      const nameLength = message.readUInt8(h);
      const name = message.toString('utf8', h + 1, h + 1 + nameLength);
      const valueLength = message.readUInt16BE(h + 2 + nameLength);
      const start = h + 4 + nameLength;
      headers[name] = message.toString('utf8', start, start + valueLength);
      h = start + valueLength;
    }
    out.push({ headers, payload: message.subarray(12 + headersLength, total - 4) });
    at += total;
  }
  return out;
}
