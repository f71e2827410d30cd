import { VerdictError } from '../errors.js';

/** Receives one line (without its end-of-line) and its 1-based number. */
export type LineHandler = (line: string, lineNo: number) => void;

/** Longest line accepted from a stream, in characters: past it, input is rejected, not buffered. */
export const LINE_LENGTH_MAX_DEFAULT = 128 * 1024 * 1024;

/**
 * Cuts text that arrives in chunks into lines, so a history of any size is
 * read holding one chunk and one partial line at a time. Accepts `\n` and `\r\n`; drops a
 * leading byte-order mark; a last line without a newline still counts.
 */
export class LineSplitter {
  private rest = '';
  private lineNo = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly options: { source?: string; lineLengthMax?: number } = {},
  ) {}

  /** Lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  pushText(text: string): void {
    let nl = text.indexOf('\n');
    if (nl === -1) {
      this.rest += text;
      this.checkLength();
      return;
    }
    this.emit(this.rest.length > 0 ? this.rest + text.slice(0, nl) : text.slice(0, nl));
    this.rest = '';
    let start = nl + 1;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
    this.checkLength();
  }

  end(): void {
    if (this.rest.length > 0) this.emit(this.rest);
    this.rest = '';
  }

  private emit(line: string): void {
    this.lineNo++;
    if (line.length > (this.options.lineLengthMax ?? LINE_LENGTH_MAX_DEFAULT)) this.tooLong(this.lineNo);
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (this.lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    this.onLine(line, this.lineNo);
  }

  private checkLength(): void {
    if (this.rest.length > (this.options.lineLengthMax ?? LINE_LENGTH_MAX_DEFAULT)) this.tooLong(this.lineNo + 1);
  }

  private tooLong(lineNo: number): never {
    const max = this.options.lineLengthMax ?? LINE_LENGTH_MAX_DEFAULT;
    throw new VerdictError('VRD_ERR_HISTORY_TOO_LARGE', `line longer than ${max} characters`, { file: this.options.source, line: lineNo });
  }
}

/** Calls `onLine` for every line of a string already in memory. */
export function forEachLine(text: string, onLine: LineHandler): void {
  const splitter = new LineSplitter(onLine, { lineLengthMax: Infinity });
  splitter.pushText(text);
  splitter.end();
}
