import { describe, expect, it } from 'vitest';
import { FreeVUs } from '../src/engine/free-vus';

describe('FreeVUs: the VUs waiting for an iteration', () => {
  it('hands out the VU that waited longest: pre-allocated ones first, then those given back in order', () => {
    const free = new FreeVUs(3);
    expect([free.take(), free.take()]).toEqual([0, 1]);
    free.giveBack(0);
    expect([free.take(), free.take(), free.take()]).toEqual([2, 0, undefined]);
    free.giveBack(1);
    free.giveBack(3); // a VU allocated after a dropped iteration waits behind the others
    free.giveBack(2);
    expect([free.take(), free.take(), free.take(), free.take()]).toEqual([1, 3, 2, undefined]);
  });

  it('costs nothing for pre-allocated VUs that never ran; its memory follows the VUs given back, at most one slot an iteration', () => {
    // Steady state of a run: 50 VUs busy at a time, each iteration taking the longest-waiting VU.
    const run = (preAllocated: number, iterations: number) => {
      const free = new FreeVUs(preAllocated);
      const busy = Array.from({ length: 50 }, () => free.take()!);
      let maxSlots = 0;
      for (let i = 0; i < iterations; i++) {
        free.giveBack(busy.shift()!);
        busy.push(free.take()!);
        maxSlots = Math.max(maxSlots, free.storedSlots());
      }
      return maxSlots;
    };
    // 50 pre-allocated VUs: one given back waits at a time, so slots stay bounded however long the run.
    expect(run(50, 100_000)).toBeLessThanOrEqual(2 + 1024);
    expect(run(50, 1_000_000)).toBeLessThanOrEqual(2 + 1024);
    // A billion pre-allocated VUs (a hostile scenario) is not a billion slots: nothing until VUs run.
    // Every iteration then starts a VU that never ran (as in k6) and the ones given back wait behind
    // the rest, one slot each: growth is linear in iterations, not in preAllocatedVUs.
    expect(new FreeVUs(1_000_000_000).storedSlots()).toBe(0);
    expect(run(1_000_000_000, 100_000)).toBe(100_000);
    expect(run(1_000_000_000, 1_000_000)).toBe(1_000_000);
  });

  it('with many VUs waiting at once, slots stay within twice the waiting VUs plus 1,024 however many pass through', () => {
    for (const waitingVUs of [10, 10_000]) {
      const free = new FreeVUs(0);
      for (let vu = 0; vu < waitingVUs; vu++) free.giveBack(vu);
      let maxSlots = 0;
      for (let i = 0; i < 200_000; i++) {
        free.giveBack(free.take()!);
        maxSlots = Math.max(maxSlots, free.storedSlots());
      }
      expect(maxSlots).toBeLessThanOrEqual(2 * waitingVUs + 1024);
      // the order survives the compactions: still a rotation of all the VUs
      const order = Array.from({ length: waitingVUs }, () => free.take());
      expect(new Set(order).size).toBe(waitingVUs);
      expect(free.take()).toBeUndefined();
    }
  });
});
