import { logTransport, prettyLogs } from './log-format';

describe('log format', () => {
  it('is JSON when stdout is not a terminal, even in development', () => {
    expect(prettyLogs('development', { isTTY: undefined })).toBe(false);
    expect(prettyLogs('development', { isTTY: false })).toBe(false);
    expect(logTransport('development', {})).toBeUndefined();
  });

  it('is JSON outside development, even on a terminal', () => {
    expect(prettyLogs('production', { isTTY: true })).toBe(false);
    expect(prettyLogs('test', { isTTY: true })).toBe(false);
    expect(logTransport('production', { isTTY: true })).toBeUndefined();
  });

  it("is pino's pretty transport, coloured, in development on a terminal", () => {
    expect(prettyLogs('development', { isTTY: true })).toBe(true);
    expect(logTransport('development', { isTTY: true })).toMatchObject({
      target: 'pino-pretty',
      options: { colorize: true },
    });
    expect(() => require.resolve('pino-pretty')).not.toThrow();
  });
});
