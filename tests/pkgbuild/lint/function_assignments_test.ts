import { assertEquals } from "../../_assert.ts";
import { scanFunctionAssignments } from "../../../src/pkgbuild/lint/_function_assignments.ts";
const names = (src: string) =>
  scanFunctionAssignments(src).map((a) => `${a.name}${a.append ? "+" : ""}:${a.form}`);

Deno.test("scanFunctionAssignments() finds assignments that start a command", () => {
  assertEquals(
    names(
      'package_x() {\n  depends=(a b)\n  pkgdesc="d"; url+=x\n  if true; then backup=(c); fi\n}',
    ),
    ["depends:array", "pkgdesc:string", "url+:string", "backup:array"],
  );
});
Deno.test("scanFunctionAssignments() skips local, quoted text, comments and heredocs", () => {
  assertEquals(
    names(
      'package() {\n  local depends=(a)\n  echo "url=x"\n  # pkgdesc=y\n  cat <<EOF\nlicense=(z)\nEOF\n  groups=\n}',
    ),
    ["groups:empty"],
  );
});
Deno.test("scanFunctionAssignments() does not read assignments inside an array value", () => {
  assertEquals(names("package() {\n  provides=(foo=1.0 bar=2)\n}"), ["provides:array"]);
});
