import { describe, expect, it } from 'vitest';
import { disposeOnce } from './dispose-once.js';

describe('disposeOnce', () => {
  it('releases once and gives every caller the same outcome', async () => {
    let releases = 0;
    let finish: () => void = () => undefined;
    const dispose = disposeOnce(() => {
      releases += 1;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    const first = dispose();
    const second = dispose();
    expect(second).toBe(first);
    finish();
    await Promise.all([first, second, dispose()]);
    expect(releases).toBe(1);
  });

  it('keeps a failed release failed instead of retrying it', async () => {
    let releases = 0;
    const dispose = disposeOnce(() => {
      releases += 1;
      throw new Error('socket stuck');
    });
    await expect(dispose()).rejects.toThrow('socket stuck');
    await expect(dispose()).rejects.toThrow('socket stuck');
    expect(releases).toBe(1);
  });
});
