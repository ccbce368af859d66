/**
 * Reading a file an operator names, bounded: a configuration, a values file,
 * a CA file. A read never runs without end (`/dev/zero`, a pipe that never
 * closes its end after writing a lot) and never waits on a named pipe nobody
 * writes to when a regular file is expected.
 */
import * as fs from 'fs';

/** The most such a file may hold: far beyond any deployment (50,000 domains with their addresses take about 3 MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** An error with the code `fileError`-style readers name (`EFBIG`: too large; `ENOTREG`: not a regular file). */
function failure(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * The bytes of `file`. A regular file larger than MAX_INPUT_BYTES is refused
 * before it is read. With `streams`, a pipe or a device (process
 * substitution, `/dev/stdin`) is read up to MAX_INPUT_BYTES; without, only a
 * regular file is read.
 *
 * @throws an error whose `code` is the system's (ENOENT, EACCES, EISDIR, ...), `EFBIG` or `ENOTREG`
 */
export function readInputFile(file: string, streams: boolean): Buffer {
  const stat = fs.statSync(file);
  if (stat.isDirectory()) {
    throw failure('EISDIR', `${file} is a folder`);
  }
  if (stat.isFile()) {
    if (stat.size > MAX_INPUT_BYTES) throw failure('EFBIG', `${file} is too large`);
    return fs.readFileSync(file);
  }
  if (!streams) {
    throw failure('ENOTREG', `${file} is not a regular file`);
  }
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(1024 * 1024);
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_INPUT_BYTES) throw failure('EFBIG', `${file} is too large`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}
