/**
 * The VUs waiting for an iteration, longest-waiting first: k6's VUs wait on one Go channel, whose
 * receivers are served in order, so an arrival-rate run cycles through all its VUs and their
 * connections. The pre-allocated VUs that have not run yet are a range, not stored: a scenario's
 * `preAllocatedVUs` costs nothing until its VUs run. Taking a VU and giving one back are O(1)
 * (amortized); memory follows the VUs that ran and came back.
 */
export class FreeVUs {
  /** VUs `nextUnused` .. `preAllocated - 1` have never run: they wait ahead of every VU given back. */
  private nextUnused = 0;
  /** VUs given back, oldest at `head`; the slots before `head` are taken and dropped in bulk. */
  private waiting: number[] = [];
  private head = 0;

  constructor(private readonly preAllocated: number) {}

  /** The VU that has waited longest, or undefined when every VU is busy. */
  take(): number | undefined {
    if (this.nextUnused < this.preAllocated) return this.nextUnused++;
    if (this.head === this.waiting.length) return undefined;
    const vu = this.waiting[this.head++];
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      // Drop the taken slots once they are at least half the array: each slot is copied at most once.
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return vu;
  }

  /** A VU that finished its iteration, or one just allocated: it waits behind all the others. */
  giveBack(vu: number): void {
    this.waiting.push(vu);
  }

  /** Array slots held (for the growth test): never more than twice the VUs given back and waiting, plus 1,024. */
  storedSlots(): number {
    return this.waiting.length;
  }
}
