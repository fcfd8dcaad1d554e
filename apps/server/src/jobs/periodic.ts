/**
 * The timer loop the background workers share: run one pass, then wait `intervalMs` after it ends
 * (passes never overlap); `stop()` cancels the next pass and waits for the one in flight.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError?: (err: unknown) => void,
  ) {}

  start(intervalMs: number, firstDelayMs = intervalMs): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pass().catch((err) => this.onError?.(err)).finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
      });
    };
    this.timer = setTimeout(tick, firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
