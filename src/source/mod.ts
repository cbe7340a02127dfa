/**
 * Sources: parse source entries, fetch them (http, git, local), verify their
 * checksums, cache them by content and extract them into a srcdir.
 *
 * @module
 */

export {};
