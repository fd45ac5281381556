-- attack: loop forever inside an xpcall handler and a __tostring called while reporting an error
-- analyze: error limit:time
xpcall(error, function() while true do end end)
