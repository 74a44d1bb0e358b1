// Reading an import file: its lines from the stored chunks, and each line's values.
//
// Cognito's format (its developer guide, "Formatting the CSV file"): UTF-8, one user per line,
// values separated by commas, a comma inside a value written `\,`, values not quoted, surrounding
// white space trimmed. Frontdesk also accepts RFC 4180 double-quoted values within a line, as
// spreadsheet tools write them (a value in quotes may hold commas; `""` is a quote).

/** The file cannot be read as a CSV at all (the job fails, as Cognito's does). */
export class CsvFormatError extends Error {}

export interface CsvLine {
  /** 1-based; line 1 is the header. */
  lineNumber: number;
  text: string;
}

/** Lines of a file given as ordered byte chunks; a multi-byte character may span two chunks. */
export async function* csvLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let pending = '';
  let lineNumber = 0;
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new CsvFormatError('The CSV file is not valid UTF-8.');
    }
  };
  for await (const chunk of chunks) {
    pending += decode(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      yield { lineNumber: ++lineNumber, text: stripCarriageReturn(pending.slice(start, end)) };
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decode();
  if (pending.length > 0) yield { lineNumber: ++lineNumber, text: stripCarriageReturn(pending) };
}

const stripCarriageReturn = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** The values of one line, trimmed; undefined when a quoted value is not closed. */
export function csvValues(line: string): string[] | undefined {
  const values: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      while (i < line.length && line[i] !== ',') value += line[i++]; // text after the closing quote
    } else {
      while (i < line.length && line[i] !== ',') {
        if (line[i] === '\\' && line[i + 1] === ',') {
          value += ',';
          i += 2;
        } else {
          value += line[i++];
        }
      }
    }
    values.push(value.trim());
    if (i >= line.length) return values;
    i++; // the comma
  }
}
