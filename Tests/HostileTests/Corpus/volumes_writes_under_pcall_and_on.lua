-- attack: every volume write, protected by pcall, on the current server and through volumes.on
-- analyze: changes
for _, pool in ipairs({ { v = volumes, name = "lv_data" }, { v = volumes.on("recovery1"), name = "lv_snap" } }) do
  pcall(pool.v.create, { name = "lv_new", group = "vg0", size = "1M", tags = { "x" } })
  pcall(pool.v.resize, pool.name, "2M")
  pcall(pool.v.tag, pool.name, "pwned")
  pcall(pool.v.untag, pool.name, "keep")
  pcall(pool.v.delete, pool.name)
  pcall(pool.v.delete, "lv_new")
end
local scoped = volumes.on("prod")
scoped.create({ name = "lv_other", group = "vg0", size = 4096 })
if not volumes.get("lv_other").planned then error("ESCAPED: analysis does not see its own create") end
