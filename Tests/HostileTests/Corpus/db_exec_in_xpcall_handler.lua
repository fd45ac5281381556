-- attack: a write from inside an xpcall message handler
-- analyze: changes
xpcall(function() error("boom") end, function(message)
  db.exec("DELETE FROM addresses")
  return message
end)
