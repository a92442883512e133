/** A stream body longer than this without a newline is not a watch stream. */
const MAX_LINE = 32 * 1024 * 1024;

/**
 * The messages of a newline-delimited JSON body (Argo CD's watch streams,
 * grpc-gateway's format), parsed one line at a time as they arrive. A line
 * that is not JSON ends the stream with an error: the rest of it cannot be
 * trusted to be in step.
 */
export async function* readJsonLines(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done
        ? decoder.decode()
        : decoder.decode(value, { stream: true });
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield parseLine(line);
        nl = buffer.indexOf('\n');
      }
      if (buffer.length > MAX_LINE) {
        throw new Error('a stream message is larger than 32 MiB');
      }
      if (done) {
        if (buffer.trim()) yield parseLine(buffer.trim());
        return;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error('a stream message is not valid JSON');
  }
}
