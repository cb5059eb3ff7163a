import type { Notebook } from "../format/notebook";
import type { ExpectedValues } from "../expected";
import type { ReleaseRecord } from "../record";
import type { Diagnostics } from "../pipeline";

export interface ReleaseContext extends Diagnostics {
  /** The file the notebook came from, for error messages. */
  file: string;
  expected: ExpectedValues;
  /** The instructor's notebook before any stage touched it (full sources, for the record). */
  source?: Notebook;
}

export interface SanitizeContext extends Diagnostics {
  file: string;
  record: ReleaseRecord;
}
