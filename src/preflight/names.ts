/**
 * The names rbee recipes use in `depends`/`makedepends` (Arch package
 * names), mapped to what provides them elsewhere: Debian/Ubuntu packages
 * (any one of the list) and executables. A name not listed maps to itself.
 *
 * | recipe name | Debian/Ubuntu package(s)               | executable |
 * | ----------- | -------------------------------------- | ---------- |
 * | `gcc`       | gcc                                    | gcc        |
 * | `clang`     | clang                                  | clang      |
 * | `git`       | git                                    | git        |
 * | `rust`      | rustc                                  | rustc      |
 * | `cargo`     | cargo                                  | cargo      |
 * | `cmake`     | cmake                                  | cmake      |
 * | `cuda`      | nvidia-cuda-toolkit, cuda-toolkit, cuda | nvcc       |
 * | `python`    | python3                                | python3    |
 * | `pkgconf`   | pkgconf, pkg-config                    | pkg-config |
 * | `base-devel`| build-essential                        | make       |
 * | `glibc`     | libc6                                  | ldd        |
 * | `gcc-libs`  | libgcc-s1                              | (none)     |
 * | `openssl`   | libssl3, libssl3t64, openssl           | openssl    |
 * | `zlib`      | zlib1g                                 | (none)     |
 *
 * @module
 */

/** Debian package names by recipe name. */
export const DEBIAN_NAMES: Readonly<Record<string, readonly string[]>> = {
  gcc: ["gcc"],
  clang: ["clang"],
  git: ["git"],
  rust: ["rustc"],
  cargo: ["cargo"],
  cmake: ["cmake"],
  cuda: ["nvidia-cuda-toolkit", "cuda-toolkit", "cuda"],
  python: ["python3"],
  pkgconf: ["pkgconf", "pkg-config"],
  "base-devel": ["build-essential"],
  glibc: ["libc6"],
  "gcc-libs": ["libgcc-s1"],
  openssl: ["libssl3", "libssl3t64", "openssl"],
  zlib: ["zlib1g"],
};

/** Executable names by recipe name. */
export const EXECUTABLE_NAMES: Readonly<Record<string, string>> = {
  rust: "rustc",
  cuda: "nvcc",
  python: "python3",
  pkgconf: "pkg-config",
  "base-devel": "make",
  glibc: "ldd",
};

/** A dependency without its version constraint (`gcc>=12` → `gcc`). */
export function dependencyName(dep: string): string {
  return dep.replace(/(<=|>=|=|<|>).*$/, "").trim();
}

/** The Debian packages that provide recipe name `name`. */
export function debianNamesOf(name: string): readonly string[] {
  return DEBIAN_NAMES[name] ?? [name];
}

/** The executable that provides recipe name `name`. */
export function executableOf(name: string): string {
  return EXECUTABLE_NAMES[name] ?? name;
}
