// The empty script of `cli_cold_start.ts`: Deno starting with this project's deno.json and deno.lock.
