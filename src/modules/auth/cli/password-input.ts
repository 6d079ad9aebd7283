import type { ReadStream } from 'node:tty';
import { CliRefusal } from './create-admin.args.js';

/** Far above any legal password (512 bytes): what is read of stdin before giving up on finding a line. */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * The password, from a person at a terminal (asked twice, nothing echoed) or from whatever
 * feeds stdin (its first line; the rest is left unread). Prompts go to stderr, so stdout
 * carries only the result.
 */
export async function readPassword(label: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) {
    const tty = input as NodeJS.ReadStream & ReadStream;
    const first = await promptHidden(tty, `${label}: `);
    if (first === '') throw new CliRefusal('no password given');
    const second = await promptHidden(tty, `${label} (again): `);
    if (first !== second) throw new CliRefusal('the two passwords differ: nothing was changed');
    return first;
  }
  const line = await firstLine(input);
  if (line === '') throw new CliRefusal('no password on stdin: pipe it as the first line, or run this at a terminal');
  return line;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const end = buffer.indexOf(0x0a);
    chunks.push(end === -1 ? buffer : buffer.subarray(0, end));
    size += buffer.length;
    if (end !== -1) break;
    if (size > MAX_LINE_BYTES) throw new CliRefusal(`the first line of stdin is longer than ${MAX_LINE_BYTES} bytes`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)).replace(/\r$/, '');
  } catch {
    throw new CliRefusal('the password on stdin is not valid UTF-8');
  }
}

/** A line typed in raw mode, so nothing is echoed; Ctrl-C and Ctrl-D cancel, Backspace and Ctrl-U edit. */
function promptHidden(input: ReadStream, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      // Arrow and function keys arrive as escape sequences: ignore them whole rather than keep their tails.
      if (chunk.startsWith('\u001b')) return;
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        if (char === '\u0003' || (char === '\u0004' && value === ''))
          return finish(() => reject(new CliRefusal('cancelled: nothing was changed')));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char === '\u0015') value = '';
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}
