/**
 * The simulated world's own timeline: things that happen at an instant whether or not anyone is watching (an OS
 * going down, an agent coming up, a script finishing). The world is advanced lazily to the clock's `now` at each
 * port call, so the simulator itself never sleeps and never keeps the virtual clock busy.
 */
interface AgendaEvent {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export class Agenda {
  #events: AgendaEvent[] = [];
  #seq = 0;
  #now: number;

  constructor(now: number) {
    this.#now = now;
  }

  get now(): number {
    return this.#now;
  }

  /** Runs `run` once the world reaches `at` (at once on the next advance when `at` has passed). */
  at(at: number, run: (at: number) => void): void {
    const event = { at: Math.max(at, this.#now), seq: this.#seq++, run };
    const index = this.#events.findIndex((e) => e.at > event.at);
    if (index === -1) this.#events.push(event);
    else this.#events.splice(index, 0, event);
  }

  /** Plays every event due up to `time`, in order; events may schedule more, which play too if due. */
  advanceTo(time: number): void {
    for (let next = this.#events[0]; next !== undefined && next.at <= time; next = this.#events[0]) {
      this.#events.shift();
      this.#now = Math.max(this.#now, next.at);
      next.run(next.at);
    }
    this.#now = Math.max(this.#now, time);
  }
}
