-- attack: phase.review names that leave state/review
-- analyze: clean
-- execute: applied
for _, name in ipairs({ "../../outside/pwned", "../site.yaml", "/tmp/pwned", "a/b", "", "x\0y", ".hidden", "..", string.rep("r", 100000) }) do
  if pcall(phase.review, name, { { key = "k", text = "t" } }) then error("ESCAPED: review " .. name) end
end
