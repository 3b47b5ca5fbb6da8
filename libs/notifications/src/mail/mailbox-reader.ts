import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A message of the mailbox folder, decoded far enough to read it. */
export interface MailboxMessage {
  file: string;
  headers: Record<string, string>;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Reads the `.eml` files nodemailer wrote to `MAILBOX_DIR/<folder>` (development tools and
 * tests): headers (RFC 2047 words decoded) and the text and HTML parts (quoted-printable or
 * base64 decoded). Only what our own messages use; not a general MIME parser.
 */
export function readMailbox(dir: string, folder?: string): MailboxMessage[] {
  const folders = folder ? [folder] : existsSync(dir) ? readdirSync(dir) : [];
  return folders.flatMap((f) => {
    const path = join(dir, f);
    if (!existsSync(path)) return [];
    return readdirSync(path)
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .map((name) => parseMessage(join(path, name), readFileSync(join(path, name), 'utf8')));
  });
}

function splitHead(raw: string): { headers: Record<string, string>; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, body: end < 0 ? '' : text.slice(end + 2) };
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_m, _charset: string, enc: string, data: string) =>
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  // =XX is one byte of the UTF-8 text; everything else stands for itself.
  const chunks: Buffer[] = [];
  for (const piece of text.replace(/=\r?\n/g, '').split(/(=[0-9A-Fa-f]{2})/)) {
    if (/^=[0-9A-Fa-f]{2}$/.test(piece)) chunks.push(Buffer.from([parseInt(piece.slice(1), 16)]));
    else chunks.push(Buffer.from(piece, 'utf8'));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64')
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function parts(
  headers: Record<string, string>,
  body: string,
): Array<{ type: string; content: string }> {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary)
    return [{ type: type.split(';')[0].trim().toLowerCase(), content: decodeBody(headers, body) }];
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .flatMap((chunk) => {
      const part = splitHead(chunk.replace(/^\n/, ''));
      return parts(part.headers, part.body.replace(/\n$/, ''));
    });
}

function parseMessage(file: string, raw: string): MailboxMessage {
  const { headers, body } = splitHead(raw);
  const all = parts(headers, body);
  return {
    file,
    headers,
    messageId: headers['message-id'] ?? '',
    to: headers.to ?? '',
    subject: headers.subject ?? '',
    text: all.find((p) => p.type === 'text/plain')?.content ?? '',
    html: all.find((p) => p.type === 'text/html')?.content ?? '',
  };
}
