/** An RFC 5322 message read back: header fields (lower-case names, folded lines joined) and the body. */
export interface ReadMessage {
  headers: Map<string, string>;
  body: string;
}

/** Enough of RFC 5322 to check what a mailer produced, without a mail-parsing dependency. */
export function readMessage(raw: string): ReadMessage {
  const split = /\r?\n\r?\n/.exec(raw);
  const head = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}
