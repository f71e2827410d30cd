import type { RunnerLog } from '@verdict/workers';

interface PinoLike {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The job runner's log, written through the service's logger (pino's argument order). */
export function runnerLog(logger: PinoLike): RunnerLog {
  return {
    info: (message, fields = {}) => logger.info(fields, message),
    warn: (message, fields = {}) => logger.warn(fields, message),
    error: (message, fields = {}) => logger.error(fields, message),
  };
}

/** A runner log for processes without pino (`verdict worker`): one JSON line per entry. */
export function lineLog(write: (line: string) => void, base: Record<string, unknown> = {}): RunnerLog {
  const at = (level: string) => (message: string, fields: Record<string, unknown> = {}): void => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...base, ...fields })}\n`);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
