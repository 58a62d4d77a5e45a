/**
 * Progress on stderr. On a terminal: one bar redrawn in place. Otherwise (a pipe, CI, a log file): one
 * line per finished step, so the log says what ran and how long it took.
 */
const fmtClock = (ms) => {
  const s = Math.round(ms / 1e3);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export class Progress {
  constructor(total, stream = process.stderr) {
    this.total = total;
    this.done = 0;
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
    this.t0 = performance.now();
    this.label = '';
  }

  /** Announces the step about to run (a bar redraw on a terminal; nothing otherwise). */
  start(label) {
    this.label = label;
    this.stepStart = performance.now();
    if (this.tty) this.draw();
  }

  /** Marks the current step finished, with a short result to show in the log. */
  step(result = '') {
    this.done = Math.min(this.total, this.done + 1);
    if (this.tty) this.draw();
    else {
      const took = ((performance.now() - (this.stepStart ?? this.t0)) / 1e3).toFixed(1);
      this.stream.write(`[${String(this.done).padStart(String(this.total).length)}/${this.total}] ${this.label}${result ? `: ${result}` : ''} (${took} s)\n`);
    }
  }

  /** A message that must stay on screen (a skipped peer, a failed check). */
  note(text) {
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(`${text}\n`);
    if (this.tty) this.draw();
  }

  draw() {
    const width = 28;
    const filled = Math.round((width * this.done) / Math.max(1, this.total));
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const cols = this.stream.columns ?? 100;
    const line = `bench ${bar} ${this.done}/${this.total} ${fmtClock(performance.now() - this.t0)}  ${this.label}`;
    this.stream.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
  }

  finish() {
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(`bench: ${this.done} steps in ${fmtClock(performance.now() - this.t0)}\n`);
  }
}
