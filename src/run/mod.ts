/**
 * The build runner: runs a recipe's functions in bash with makepkg's
 * semantics, streams their output, sandboxes them and cancels them.
 *
 * @module
 */

export {};
