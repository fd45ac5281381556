-- attack: db.exec wrapped in pcall, so an error could not stop a write from landing
-- analyze: changes
pcall(db.exec, "DELETE FROM addresses")
pcall(db.exec, "DROP TABLE secrets")
pcall(db.exec, "UPDATE addresses SET state = ?", "stolen")
