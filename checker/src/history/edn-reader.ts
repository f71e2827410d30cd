import type { EDNListParser } from 'edn-data/dist/parse.js';
import { atTopLevel, fromEdn, inString, newEdnStreamParser, registerTags } from './edn-values.js';
import { parseError, type RecordPlace } from './op-record.js';

/** Receives one top-level EDN value, converted to plain data, and the line it starts on. */
export type EdnValueHandler = (value: unknown, line: number) => void;

/**
 * Reads a Jepsen `history.edn` line by line: a vector `[...]`, a list `(...)` or a bare stream of
 * op maps, with `;` comments. The outer bracket is taken off so each op comes out as soon as its
 * line is read (typical Jepsen output has one map a line), and memory holds one op at a time.
 * Forms that span lines (a pretty-printed nemesis op) are carried across lines by edn-data's
 * incremental parser, so no layout needs a second pass.
 */
export class EdnStreamReader {
  private readonly parser: EDNListParser = newEdnStreamParser();
  private state: 'start' | 'body' | 'closed' = 'start';
  private closer: ']' | ')' | undefined;
  private openLine = 0;
  /** Line where the top-level form still open at the end of the last line started. */
  private formLine = 0;

  constructor(private readonly onValue: EdnValueHandler, private readonly source?: string) {}

  line(text: string, lineNo: number): void {
    if (this.state === 'start') {
      const trimmed = text.trimStart();
      if (trimmed.length === 0 || trimmed.startsWith(';')) return;
      if (trimmed[0] === '[' || trimmed[0] === '(') {
        this.closer = trimmed[0] === '[' ? ']' : ')';
        this.openLine = lineNo;
        text = trimmed.slice(1);
      }
      this.state = 'body';
    }
    const at: RecordPlace = { source: this.source, line: lineNo };
    const pendingBefore = !atTopLevel(this.parser);
    registerTags(this.parser, text);
    let before: unknown[];
    let after: unknown[] = [];
    try {
      if (this.closer !== undefined && this.state === 'body' && text.includes(this.closer)) {
        [before, after] = this.feedWatchingCloser(text);
      } else if (this.state === 'closed') {
        before = [];
        after = this.parser.next(`${text}\n,`);
      } else {
        before = this.parser.next(`${text}\n,`);
      }
    } catch (e) {
      throw parseError(`malformed EDN: ${e instanceof TypeError ? 'unbalanced closing bracket' : (e as Error).message}`, at);
    }
    if (this.parser.isDone()) throw parseError('malformed EDN: unbalanced )', at);
    if (this.state === 'closed' && (after.length > 0 || !atTopLevel(this.parser))) {
      throw parseError(`content after the closing ${this.closer} of the history`, at);
    }
    for (let i = 0; i < before.length; i++) this.onValue(fromEdn(before[i]), i === 0 && pendingBefore ? this.formLine : lineNo);
    if (!atTopLevel(this.parser) && (!pendingBefore || before.length > 0)) this.formLine = lineNo;
  }

  end(): void {
    if (inString(this.parser)) throw parseError(`malformed EDN: unterminated string in the form starting at line ${this.formLine}`, { source: this.source });
    if (!atTopLevel(this.parser)) throw parseError(`malformed EDN: unclosed form starting at line ${this.formLine}`, { source: this.source });
    if (this.closer !== undefined && this.state !== 'closed') {
      throw parseError(`malformed EDN: the ${this.closer === ']' ? '[' : '('} opened at line ${this.openLine} is never closed`, { source: this.source });
    }
  }

  /**
   * Feeds a line that holds the outer closing bracket somewhere: up to each candidate closer,
   * asks the parser whether it stands at top level (not in a value, string or comment).
   * Returns the values before the outer closer and any after it.
   */
  private feedWatchingCloser(text: string): [unknown[], unknown[]] {
    const closer = this.closer!;
    const before: unknown[] = [];
    let start = 0;
    let idx: number;
    while ((idx = text.indexOf(closer, start)) !== -1) {
      before.push(...this.parser.next(text.slice(start, idx)));
      start = idx + 1;
      if (atTopLevel(this.parser)) {
        // Two separators flush a value completed just before the bracket.
        before.push(...this.parser.next(',,'));
        this.state = 'closed';
        return [before, this.parser.next(`${text.slice(start)}\n,`)];
      }
      before.push(...this.parser.next(closer));
    }
    before.push(...this.parser.next(`${text.slice(start)}\n,`));
    return [before, []];
  }
}
