-- attack: error objects whose __tostring writes or loops while the host turns them into messages
-- analyze: error runtime
-- execute: error runtime
error(setmetatable({}, { __tostring = function()
  db.exec("DELETE FROM addresses")
  files.write("conf/app.conf", "pwned")
  return "written while reporting"
end }))
