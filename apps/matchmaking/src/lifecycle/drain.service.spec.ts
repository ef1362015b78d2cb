import { DrainService } from './drain.service';

describe('DrainService', () => {
  it('is ready until begin(), then draining for good', () => {
    const drain = new DrainService();
    expect(drain.draining).toBe(false);
    drain.begin();
    drain.begin();
    expect(drain.draining).toBe(true);
  });

  it('resolves as soon as the last open stream closes, ending none', async () => {
    const drain = new DrainService();
    const ended: string[] = [];
    const closeA = drain.track(() => ended.push('a'));
    const closeB = drain.track(() => ended.push('b'));
    const started = Date.now();
    setTimeout(closeA, 20);
    setTimeout(closeB, 40);
    await expect(drain.waitForStreams(10_000)).resolves.toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ended).toEqual([]);
  });

  it('ends the streams still open at the deadline', async () => {
    const drain = new DrainService();
    const ended: string[] = [];
    drain.track(() => ended.push('stuck'));
    await expect(drain.waitForStreams(30)).resolves.toBe(1);
    expect(ended).toEqual(['stuck']);
  });

  it('resolves at once when nothing is open', async () => {
    await expect(new DrainService().waitForStreams(60_000)).resolves.toBe(0);
  });
});
