/**
 * Events of the hive registration (`hive.*`), forwarded in a provision's
 * event stream.
 *
 * @module
 */

/** The worker's metadata.json was written. */
export interface HiveRegisteredEvent {
  /** Event type. */
  readonly type: "hive.registered";
  /** The worker id. */
  readonly id: string;
  /** The metadata.json written. */
  readonly path: string;
  /** A line for humans. */
  readonly message: string;
}

/** The worker's entry was removed. */
export interface HiveUnregisteredEvent {
  /** Event type. */
  readonly type: "hive.unregistered";
  /** The worker id. */
  readonly id: string;
  /** The entry directory removed. */
  readonly path: string;
  /** A line for humans. */
  readonly message: string;
}

/** The worker is installed but could not be registered, and why. */
export interface HiveWarningEvent {
  /** Event type. */
  readonly type: "hive.warning";
  /** The worker id. */
  readonly id: string;
  /** Why, for humans. */
  readonly message: string;
}

/** Every hive registration event. */
export type HiveEvent = HiveRegisteredEvent | HiveUnregisteredEvent | HiveWarningEvent;
