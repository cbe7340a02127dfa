/**
 * The control-flow signals the evaluator throws to unwind: `return` and
 * `break`/`continue`.
 *
 * @module
 */

/** `return` unwinding to the function call or the sourcing. */
export class ReturnSignal {
  /** Creates the signal with the return status. */
  constructor(readonly status: number) {}
}

/** `break n` / `continue n` unwinding loops. */
export class LoopSignal {
  /** Creates the signal. */
  constructor(public levels: number, readonly isContinue: boolean) {}
}
