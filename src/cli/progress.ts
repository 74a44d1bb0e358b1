// Progress on stderr for long CLI runs: a redrawn bar when stderr is a terminal, otherwise a plain
// line every few seconds (so logs of a CI job or a redirected run stay readable).

export interface ProgressOptions {
  label: string;
  /** What 100% is, when known. */
  total?: number;
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when not a terminal. */
  intervalSeconds?: number;
}

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;
  private done = 0;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true;
  }

  set total(value: number | undefined) {
    this.options.total = value;
  }

  /** `done` so far; `extra` is appended to the line (e.g. failures). */
  update(done: number, extra = ''): void {
    this.done = done;
    const now = Date.now();
    const interval = this.tty ? 100 : (this.options.intervalSeconds ?? 5) * 1000;
    if (now - this.lastDraw < interval) return;
    this.lastDraw = now;
    this.draw(extra);
  }

  finish(extra = ''): void {
    this.draw(extra);
    if (this.tty) this.stream.write('\n');
  }

  private draw(extra: string): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = Math.round(this.done / seconds);
    const { total, label } = this.options;
    const count = `${this.done.toLocaleString('en-US')}${total !== undefined ? `/${total.toLocaleString('en-US')}` : ''} users`;
    const tail = `${count}  ${rate.toLocaleString('en-US')}/s  ${seconds.toFixed(1)}s${extra ? `  ${extra}` : ''}`;
    if (!this.tty) {
      this.stream.write(`${label}: ${tail}\n`);
      return;
    }
    const fraction = total ? Math.min(this.done / total, 1) : undefined;
    const width = 30;
    const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '-')}] ${String(Math.floor(fraction * 100)).padStart(3)}% `;
    this.stream.write(`\r\x1b[2K${label} ${bar}${tail}`);
  }
}
