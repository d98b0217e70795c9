/**
 * What a command may write to the Actions log. `main.ts` backs it with `@actions/core`; commands and renderers
 * only see this interface, so they stay free of the toolkit and testable with a plain array.
 */
export interface ActionLog {
  info(message: string): void;
  /** A yellow annotation on the run, besides the log line. */
  warning(message: string): void;
  /** Opens a collapsible group. The runner does not nest groups: open the next only after `endGroup`. */
  startGroup(title: string): void;
  endGroup(): void;
}

type Entry = { [K in keyof ActionLog]: { method: K; args: Parameters<ActionLog[K]> } }[keyof ActionLog];

/**
 * Holds log calls until the real log is attached, then replays them in order and forwards from there on.
 * `main.ts` loads the toolkit only after the first AWS request has been answered, so the log must be able to
 * wait for it without a command knowing.
 */
export class DeferredLog implements ActionLog {
  private queue: Entry[] = [];
  private sink: ActionLog | undefined;

  attach(sink: ActionLog): void {
    if (this.sink !== undefined) return;
    this.sink = sink;
    for (const entry of this.queue) forward(sink, entry);
    this.queue = [];
  }

  private push(entry: Entry): void {
    if (this.sink === undefined) this.queue.push(entry);
    else forward(this.sink, entry);
  }

  info(message: string): void {
    this.push({ method: 'info', args: [message] });
  }
  warning(message: string): void {
    this.push({ method: 'warning', args: [message] });
  }
  startGroup(title: string): void {
    this.push({ method: 'startGroup', args: [title] });
  }
  endGroup(): void {
    this.push({ method: 'endGroup', args: [] });
  }
}

function forward(sink: ActionLog, entry: Entry): void {
  switch (entry.method) {
    case 'info':
      sink.info(...entry.args);
      break;
    case 'warning':
      sink.warning(...entry.args);
      break;
    case 'startGroup':
      sink.startGroup(...entry.args);
      break;
    case 'endGroup':
      sink.endGroup();
      break;
  }
}

/** A log that keeps lines in memory, for tests and for rendering without the toolkit. */
export function memoryLog(): ActionLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warning: (message) => lines.push(`warning: ${message}`),
    startGroup: (title) => lines.push(`::group::${title}`),
    endGroup: () => lines.push('::endgroup::'),
  };
}
