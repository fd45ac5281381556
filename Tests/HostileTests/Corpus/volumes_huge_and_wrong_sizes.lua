-- attack: sizes at and past the integer range, negative, NaN, infinite, tables, bad units
-- analyze: clean
local sizes = { math.maxinteger, 2^63, -2^63, math.mininteger, -1, 0, 0/0, 1/0, -1/0, 1.5,
  "9999999999T", "8388608T", "-1G", "1e3G", "0x10M", "G", "", "1 G", {}, true, print }
for index, size in ipairs(sizes) do
  pcall(volumes.create, { name = "big" .. index, group = "vg0", size = size })
  pcall(volumes.resize, "lv_data", size)
  pcall(volumes.on("recovery1").resize, "lv_snap", size)
end
for index, size in ipairs({ -1, 0, 0/0, -2^63, "-1G", {} }) do
  if pcall(volumes.create, { name = "bad" .. index, group = "vg0", size = size }) then
    error("ESCAPED: size " .. tostring(size) .. " accepted")
  end
end
