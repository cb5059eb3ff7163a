/**
 * Play (@jupyter-widgets/controls 2.0 PlayModel): counts from min to max every `interval` ms in
 * the front end; the kernel sees `value` change like a slider's.
 */
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import { requireInteger, requireNumber } from "./options";
import { controlsModule, controlsVersion, modelKeys, type Observer, type Origin } from "./widget";

export interface PlayOptions extends DOMWidgetOptions {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  /** Milliseconds between steps (default 100). */
  interval?: number;
  repeat?: boolean;
  playing?: boolean;
  showRepeat?: boolean;
  description?: string;
  disabled?: boolean;
}

export class Play extends DOMWidget {
  constructor(options?: PlayOptions) {
    const built = domState(
      "Play",
      {
        ...modelKeys("PlayModel", controlsModule, controlsVersion, { name: "PlayView", module: controlsModule, version: controlsVersion }),
        description: "",
        description_allow_html: false,
        disabled: false,
        value: 0,
        min: 0,
        max: 100,
        step: 1,
        interval: 100,
        repeat: false,
        playing: false,
        show_repeat: true,
      },
      options,
      ["value", "min", "max", "step", "interval", "repeat", "playing", "showRepeat", "description", "disabled"],
      null,
      (s) => {
        for (const k of ["value", "min", "max", "step"]) requireInteger("Play", k, s[k]);
        if ((s.min as number) > (s.max as number))
          throw new RangeError(`Play: min (${s.min as number}) must not be greater than max (${s.max as number})`);
        if (!((s.step as number) > 0)) throw new RangeError(`Play: step must be greater than 0, got ${s.step as number}`);
        if (!(requireNumber("Play", "interval", s.interval) > 0))
          throw new RangeError(`Play: interval must be a positive number of milliseconds, got ${s.interval as number}`);
        s.value = Math.min(Math.max(s.value as number, s.min as number), s.max as number);
      },
    );
    super(built);
  }

  get value(): number {
    return this.state.value as number;
  }

  set value(v: number) {
    this.set({ value: v });
  }

  override observe<T = number>(fn: Observer<T>, names: string | string[] = "value"): () => void {
    return super.observe(fn, names);
  }

  protected override coerce(name: string, value: unknown, _origin: Origin): unknown {
    if (name === "value") return Math.min(Math.max(requireInteger("Play", "value", value), this.state.min as number), this.state.max as number);
    return value;
  }
}
