/**
 * Where a JSON text first breaks the JSON grammar, and what was expected
 * there, in an operator's words: JSON.parse says neither the line (Node 20)
 * nor anything but the raw text around the fault.
 */
export interface JsonSyntaxError {
  /** 1-based line and column of the offending character (or of the end of the text). */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const WHITE = new Set([' ', '\t', '\n', '\r']);

/** The first syntax error of `text` as JSON, or undefined when JSON.parse would accept it. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (at: number, message: string): JsonSyntaxError => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - (before.lastIndexOf('\n') + 1) + 1, message };
  };
  const shown = (at: number): string => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));
  const skip = () => {
    while (i < text.length && WHITE.has(text[i])) i++;
  };
  // an explicit stack: nesting depth is not limited by the call stack
  const stack: Array<'{' | '['> = [];
  let fresh = false; // a container was just opened: no member read yet
  const value = (): JsonSyntaxError | undefined => {
    skip();
    const c = text[i];
    fresh = c === '{' || c === '[';
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      return undefined;
    }
    if (c === '"') return string();
    const literal = /^(true|false|null)/.exec(text.slice(i, i + 5));
    if (literal) {
      i += literal[1].length;
      return undefined;
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number && number[0] !== '-') {
      i += number[0].length;
      return undefined;
    }
    if (c === "'") return fail(i, 'strings are written in double quotes in JSON');
    return fail(i, `expected a value, found ${shown(i)}`);
  };
  const string = (): JsonSyntaxError | undefined => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        if (!/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i + 1, i + 6))) return fail(i, 'an invalid escape in a string');
        i += text[i + 1] === 'u' ? 6 : 2;
        continue;
      }
      if (text.charCodeAt(i) < 0x20) return fail(i, 'a control character (a line break?) inside a string');
      i++;
    }
    if (i >= text.length) return fail(start, 'a string that is never closed');
    i++;
    return undefined;
  };

  let error = value();
  if (error) return error;
  for (;;) {
    // after a value, or right after an opening bracket
    skip();
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    const opened = fresh;
    fresh = false;
    const close = top === '{' ? '}' : ']';
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (!opened) {
      if (text[i] !== ',') return fail(i, `expected "," or "${close}", found ${shown(i)}`);
      i++;
      skip();
      if (text[i] === close) return fail(i, `a "," before "${close}": JSON allows no trailing comma`);
    }
    if (top === '{') {
      skip();
      if (text[i] !== '"') return fail(i, `expected a key in double quotes, found ${shown(i)}`);
      error = string();
      if (error) return error;
      skip();
      if (text[i] !== ':') return fail(i, `expected ":" after the key, found ${shown(i)}`);
      i++;
    }
    error = value();
    if (error) return error;
  }
  skip();
  if (i < text.length) return fail(i, `more after the end of the JSON value: ${shown(i)}`);
  return undefined;
}

