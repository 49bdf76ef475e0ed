import { describe, expect, it } from 'vitest';
import { ModelHealth, resolveHealthOptions } from './model-health.js';

function clockAt(start = 1_000) {
  const clock = { time: start, now: () => clock.time, sleep: async () => undefined };
  return clock;
}

describe('ModelHealth', () => {
  it('opens after the threshold, lets exactly one trial through after the cool-down, and closes on its success', () => {
    const clock = clockAt();
    const health = new ModelHealth(2, 500, clock);
    expect(health.failed()).toBeUndefined();
    expect(health.claim()).toBe(true);
    expect(health.failed()).toBe(1_500);
    expect(health.coolingUntil()).toBe(1_500);
    expect(health.claim()).toBe(false);
    clock.time = 1_500;
    expect(health.claim()).toBe(true);
    // While the trial is in flight, other requests still pass the model over.
    expect(health.claim()).toBe(false);
    health.released();
    expect(health.claim()).toBe(true);
    health.succeeded();
    expect(health.coolingUntil()).toBeUndefined();
    expect([health.claim(), health.claim()]).toEqual([true, true]);
  });

  it('a failed trial starts another full cool-down', () => {
    const clock = clockAt();
    const health = new ModelHealth(1, 500, clock);
    health.failed();
    clock.time = 1_600;
    expect(health.claim()).toBe(true);
    expect(health.failed()).toBe(2_100);
    expect(health.claim()).toBe(false);
  });

  it('refuses settings that cannot work and turns off with false', () => {
    expect(() => resolveHealthOptions({ failureThreshold: 0 })).toThrowError(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() => resolveHealthOptions({ coolDownMs: Number.POSITIVE_INFINITY })).toThrowError(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(resolveHealthOptions(undefined)).toEqual({ failureThreshold: 3, coolDownMs: 30_000 });
    const off = resolveHealthOptions(false);
    const health = new ModelHealth(off.failureThreshold, off.coolDownMs, clockAt());
    for (let failure = 0; failure < 100; failure++) expect(health.failed()).toBeUndefined();
  });
});
