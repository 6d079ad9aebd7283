/**
 * The first line of stdin, leaving the stream open (its end is how a helper process learns that the harness died).
 * @param {NodeJS.ReadStream} stream
 * @returns {Promise<string>}
 */
export function firstLine(stream) {
  return new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    /** @param {string} chunk */
    const onData = (chunk) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end < 0) return;
      stream.off('data', onData);
      resolve(text.slice(0, end));
    };
    stream.on('data', onData);
  });
}
