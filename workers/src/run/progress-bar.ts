import cliProgress from 'cli-progress';
import type { RunProgress } from './result.js';

/** A terminal progress bar: show it only when the output is a terminal. */
export interface ProgressBar {
  update(progress: RunProgress): void;
  /** For the matrix (or another batch, named by `stage`): `done` of `total` (in `unit`, default runs), with a label. */
  step(done: number, total: number, label: string, stage?: string, unit?: string): void;
  stop(): void;
}

/**
 * A cli-progress bar on `stream` (stderr by default, so stdout stays the report). It shows the
 * stage, operations done, the phase and the virtual time.
 */
export function progressBar(stream: NodeJS.WritableStream = process.stderr): ProgressBar {
  const bar = new cliProgress.SingleBar({
    stream,
    format: '{stage} |{bar}| {value}/{total} {unit} {detail}',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const show = (value: number, total: number, payload: Record<string, string>): void => {
    if (!started) {
      bar.start(total, value, payload);
      started = true;
      return;
    }
    bar.setTotal(total);
    bar.update(value, payload);
  };
  return {
    update(p) {
      const detail = p.stage === 'simulate' ? `${p.phase ?? ''} phase, ${(p.virtualMs / 1000).toFixed(1)} s virtual` : '';
      show(p.done, Math.max(1, p.total), { stage: p.stage.padEnd(8), unit: p.stage === 'simulate' ? 'ops' : 'parts', detail });
    },
    step(done, total, label, stage = 'matrix', unit = 'runs') {
      show(done, Math.max(1, total), { stage: stage.padEnd(8), unit, detail: label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
