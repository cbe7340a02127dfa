/** `UmaskProbe` learns from created files which mode bits the umask clears. */
import { assertEquals } from "./_assert.ts";
import { join } from "node:path";
import { UmaskProbe } from "../src/_umask_probe.ts";

Deno.test("UmaskProbe: bits the umask clears need a chmod, bits it keeps do not", () => {
  const dir = Deno.makeTempDirSync();
  const old = Deno.umask(0o027);
  try {
    const probe = new UmaskProbe();
    const created = (name: string, mode: number) => {
      const file = Deno.openSync(join(dir, name), { write: true, createNew: true, mode });
      try {
        return probe.clears(mode, file);
      } finally {
        file.close();
      }
    };
    assertEquals(created("a", 0o750), false, "0o750 survives umask 027");
    assertEquals(created("b", 0o755), true, "umask 027 clears o+rx");
    assertEquals(created("c", 0o644), true, "o+r was seen cleared");
    assertEquals(created("d", 0o640), false, "only bits seen kept");
    assertEquals(Deno.statSync(join(dir, "b")).mode! & 0o777, 0o750);
  } finally {
    Deno.umask(old);
    Deno.removeSync(dir, { recursive: true });
  }
});
