/**
 * Structured logs: one JSON line per event (pino), with the ids an
 * operator searches by (appId, clientId, connectionId, commandId).
 * Message content, keys and tokens never go into a line: callers pass ids
 * and counts only, and the redaction list below is a second net.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** The levels `--log-level` accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Field names that would carry a secret or user text if a caller ever passed one. */
const REDACTED = ['masterKey', 'appKey', 'token', 'sessionToken', 'signature', 'data', 'text', 'content', '*.masterKey', '*.appKey', '*.token', '*.data', '*.text', '*.content'];

/**
 * A logger writing each JSON line to `sink` (without its newline).
 * Synchronous: a line is written before the call returns, so a crash
 * right after loses nothing.
 */
export function createLogger(level: LogLevel, sink: (line: string) => void): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACTED, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (chunk: string) => sink(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) },
  );
}

/**
 * Where `lc-chat serve` writes log lines: stderr, as JSON lines, or as
 * coloured human-readable lines when stderr is a terminal (a person is
 * watching, not a log shipper).
 */
export function defaultLogSink(stream: NodeJS.WriteStream = process.stderr): (line: string) => void {
  if (!stream.isTTY) return (line) => stream.write(line + '\n');
  const format = pretty.prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return (line) => {
    // A line that is not pino's JSON (a caller writing text) is printed as it is.
    let out: string;
    try {
      out = format(JSON.parse(line) as Record<string, unknown>);
    } catch {
      out = line + '\n';
    }
    stream.write(out);
  };
}

/** Turns an unknown thrown value into fields pino serialises (message and stack). */
export function errorFields(error: unknown): { err: Error | { message: string } } {
  return { err: error instanceof Error ? error : { message: String(error) } };
}
