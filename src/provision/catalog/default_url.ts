/**
 * The catalog used when none is given, alone in a module that imports
 * nothing, so the CLI's help text can name it without loading the client.
 *
 * @module
 */

/** The default catalog base URL: rbee's hive serves its worker catalog here. */
export const DEFAULT_CATALOG_URL = "http://localhost:8787";
