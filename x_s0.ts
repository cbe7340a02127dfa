const { scanInstalled } = await import("./src/provision/installed.ts");
const { scanRecords } = await import("./src/provision/record.ts");
const { recoverLeftovers } = await import("./src/provision/_leftovers.ts");
const layout = { root: "/tmp/st/b/root", stateDir: "/tmp/st/b/root/var/lib/worker-provisioner", cacheDir: "/tmp/st/b/cache" };
const m = Deno.args[0];
if (m === "scan") await scanInstalled(layout);
if (m === "records") await scanRecords(layout.stateDir, layout.root);
if (m === "recover") await recoverLeftovers({ layout, buildBase: "/tmp/st/b/cache/build" }, true);
