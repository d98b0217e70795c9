import type { Logger as BoltLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';

/**
 * One JSON object per line on stdout for every decision the bot takes: what arrived, what was rejected and why,
 * what started and how it ended. Log shippers (CloudWatch Logs, journald, Loki) index such lines without parsing
 * rules, and tests read the same records through an injected sink.
 */

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface LogRecord extends LogFields {
  ts: string;
  level: Level;
  event: string;
}

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record (a request id, a target). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Receives each record as one line of JSON without the newline. Default: stdout. */
  sink?: (line: string) => void;
  level?: Level;
  now?: () => number;
}

/**
 * Stdout, batched: lines queue up and go out in one write per event-loop turn. Writes to a file or a pipe are
 * synchronous in Node, so one write per line would put a system call (or a full pipe) on the path of every
 * answer to Slack and SNS. Whatever is still queued is written synchronously when the process exits.
 */
export function batchedStdoutSink(
  write: (text: string) => void = (text) => process.stdout.write(text),
): (line: string) => void {
  let queue: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queue.length === 0) return;
    const text = `${queue.join('\n')}\n`;
    queue = [];
    try {
      write(text);
    } catch {
      // EAGAIN on a non-blocking pipe or EPIPE: logs are lost rather than the bot.
    }
  };
  // At exit the queue is written as it stands; stdout to a file or pipe is synchronous, so it gets out.
  process.once('exit', flush);
  return (line) => {
    queue.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

let defaultSink: ((line: string) => void) | undefined;
const stdoutSink = (line: string): void => {
  defaultSink ??= batchedStdoutSink();
  defaultSink(line);
};

export function createLogger(options: LoggerOptions = {}): Logger {
  return new JsonLogger(
    {
      sink: options.sink ?? stdoutSink,
      min: RANK[options.level ?? 'info'],
      now: options.now ?? Date.now,
    },
    {},
  );
}

interface LoggerSetup {
  sink: (line: string) => void;
  min: number;
  now: () => number;
}

/** A class rather than closures: a child per request (a message id, a user) is then one small object. */
class JsonLogger implements Logger {
  readonly #setup: LoggerSetup;
  readonly #base: LogFields;

  constructor(setup: LoggerSetup, base: LogFields) {
    this.#setup = setup;
    this.#base = base;
  }

  debug(event: string, fields?: LogFields): void {
    this.#write('debug', event, fields);
  }
  info(event: string, fields?: LogFields): void {
    this.#write('info', event, fields);
  }
  warn(event: string, fields?: LogFields): void {
    this.#write('warn', event, fields);
  }
  error(event: string, fields?: LogFields): void {
    this.#write('error', event, fields);
  }
  child(fields: LogFields): Logger {
    return new JsonLogger(this.#setup, { ...this.#base, ...fields });
  }

  #write(level: Level, event: string, fields: LogFields | undefined): void {
    const { sink, min, now } = this.#setup;
    if (RANK[level] < min) return;
    const record: LogFields = { ts: new Date(now()).toISOString(), level, event, ...this.#base };
    if (fields !== undefined) {
      // Errors are the one kind of value JSON.stringify cannot show; converting them here rather than with a
      // replacer keeps V8's fast serialiser, which a replacer function turns off.
      for (const key in fields) {
        const value = fields[key];
        record[key] = value instanceof Error ? errorFields(value) : value;
      }
    }
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      // A circular value must not take the decision it describes down with it.
      line = JSON.stringify({ ts: record.ts, level, event, note: 'fields were not serialisable' });
    }
    try {
      sink(line);
    } catch {
      // A closed stdout (EPIPE) is no reason to stop recovering instances.
    }
  }
}

function errorFields(error: Error): LogFields {
  const out: LogFields = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  return out;
}

/** Collects records in memory; for tests and the benchmark. */
export function createMemoryLogger(level: Level = 'debug'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger({ level, sink: (line) => records.push(JSON.parse(line) as LogRecord) });
  return { logger, records };
}

export function parseLevel(value: string | undefined): Level {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : 'info';
}

/**
 * Bolt's own messages (signature failures, unhandled requests) go through the same JSON lines, so a refused
 * Slack request is visible in the same log as a refused SNS message.
 */
export function boltLogger(logger: Logger, level: Level): BoltLogger {
  let current: LogLevel = toBoltLevel(level);
  let name = 'bolt';
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p))).join(' ');
  // Bolt and the Web API client log every request at debug; below the level nothing is formatted at all.
  const debugOn = RANK[level] <= RANK.debug;
  return {
    debug: (...msg) => {
      if (debugOn) logger.debug(`${name}.debug`, { message: text(msg) });
    },
    info: (...msg) => logger.info(`${name}.info`, { message: text(msg) }),
    warn: (...msg) => logger.warn(`${name}.warn`, { message: text(msg) }),
    error: (...msg) => logger.error(`${name}.error`, { message: text(msg) }),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
}

function toBoltLevel(level: Level): LogLevel {
  switch (level) {
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    case 'error':
      return LogLevel.ERROR;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
