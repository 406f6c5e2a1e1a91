/**
 * A small MIME reader for the outbox tests (no mail parser is installed): headers with folding
 * and RFC 2047 encoded words, multipart bodies, base64 and quoted-printable transfer encodings.
 */

export interface MimePart {
  /** Header values by lower-case name (the last one wins), unfolded and decoded. */
  readonly headers: Record<string, string>;
  /** The media type, lower case, without parameters. */
  readonly type: string;
  readonly params: Record<string, string>;
  /** The decoded body of a leaf part; empty for a multipart. */
  readonly body: Buffer;
  readonly parts: readonly MimePart[];
}

/** Parses a whole message. */
export function parseMime(raw: string | Buffer): MimePart {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const [type = 'text/plain', ...paramParts] = (headers['content-type'] ?? 'text/plain').split(';');
  const params = Object.fromEntries(
    paramParts.map((p) => {
      const eq = p.indexOf('=');
      return [
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      ];
    }),
  );
  const mediaType = type.trim().toLowerCase();
  if (mediaType.startsWith('multipart/')) {
    const boundary = params.boundary ?? '';
    const sections = body.split(`--${boundary}`);
    // sections[0] is the preamble; the last one starts with "--" (the epilogue).
    const parts = sections.slice(1, -1).map((s) => parseMime(Buffer.from(s.replace(/^\n/, '').replace(/\n$/, ''), 'latin1')));
    return { headers, type: mediaType, params, body: Buffer.alloc(0), parts };
  }
  return { headers, type: mediaType, params, body: decodeBody(body, headers['content-transfer-encoding']), parts: [] };
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, 'latin1');
  }
}

function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(unwrapped.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
