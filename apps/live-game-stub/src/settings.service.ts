import { Inject, Injectable } from '@nestjs/common';
import { StubSettings } from './stub-settings';

/** Injection token for the settings the app started with (env + createStubApp overrides). */
export const STUB_INITIAL_SETTINGS = Symbol('STUB_INITIAL_SETTINGS');

/** Holds the live, runtime-changeable settings. */
@Injectable()
export class SettingsService {
  private current: StubSettings;

  constructor(@Inject(STUB_INITIAL_SETTINGS) private readonly initial: StubSettings) {
    this.current = clone(initial);
  }

  get(): StubSettings {
    return this.current;
  }

  update(patch: Partial<StubSettings>): StubSettings {
    this.current = { ...this.current, ...patch, failNext: { ...(patch.failNext ?? this.current.failNext) } };
    return this.current;
  }

  /** Back to the settings the app started with. */
  reset(): StubSettings {
    this.current = clone(this.initial);
    return this.current;
  }

  /** Takes one unit of the "fail next N" budget; returns the status to fail with, or null. */
  takeFailNext(): number | null {
    const { failNext } = this.current;
    if (failNext.count <= 0) return null;
    failNext.count -= 1;
    return failNext.status;
  }
}

function clone(s: StubSettings): StubSettings {
  return { ...s, failNext: { ...s.failNext } };
}
