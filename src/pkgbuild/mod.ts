/**
 * The PKGBUILD engine: a pure, static evaluator of PKGBUILDs with makepkg's
 * semantics, the `.SRCINFO` writer and reader, and makepkg's lint rules.
 * Nothing here touches the disk, the network or a process.
 *
 * @module
 */

export * from "./model.ts";
export * from "./srcinfo_write.ts";
export * from "./lint/mod.ts";
export * from "./srcinfo_read.ts";
export * from "./parse.ts";
export * from "./errors.ts";
export { BashLimitError, BashSyntaxError } from "../bash/mod.ts";
